package dev.sparkgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.sparkgateway.problem.Problem;
import dev.sparkgateway.problem.Problems;
import dev.sparkgateway.audit.Auditing;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every exception that reaches JAX-RS to problem+json, through {@link Problems}.
 */
public class ProblemMapper {

    private final RequestOutcomes outcomes;
    private final Auditing auditing;

    public ProblemMapper(RequestOutcomes outcomes, Auditing auditing) {
        this.outcomes = outcomes;
        this.auditing = auditing;
    }

    /** Every exception; the narrower types are named only to outrank Quarkus' built-in mappers for them. */
    @ServerExceptionMapper({Throwable.class, WebApplicationException.class, JsonProcessingException.class,
            MismatchedInputException.class})
    public Response map(Throwable error, ContainerRequestContext request) {
        RequestInfo info = RequestInfo.of(request);
        Problem problem = Problems.from(error).withInstance(info.endpoint()).withRequestId(info.requestId());
        if (problem.errorClass() != null) {
            outcomes.sparkError(problem.errorClass());
        }
        // Unknown paths (404) stay out of the metrics: their tags would be unbounded.
        if (info.endpoint().startsWith("/v1/") && problem.status() != 404) {
            RequestInfo templated = new RequestInfo(info.requestId(), RequestInfo.template(info.endpoint()),
                    info.startedNanos(), auditing.current().orElse(null));
            outcomes.record(templated, "-", problem.status(), 0, 0, null);
        }
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        Problems.headers(error).forEach(response::header);
        return response.build();
    }
}
