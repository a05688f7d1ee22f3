package dev.sparkgateway.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import dev.sparkgateway.api.RequestInfo;
import dev.sparkgateway.audit.Auditing;
import dev.sparkgateway.observe.GatewayMetrics;
import dev.sparkgateway.observe.RequestLog;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every exception that reaches JAX-RS to problem+json. The narrower methods exist only to
 * outrank Quarkus' built-in mappers for those types; all go through {@link Problems}.
 */
public class ProblemMapper {

    private final GatewayMetrics metrics;
    private final Auditing auditing;

    public ProblemMapper(GatewayMetrics metrics, Auditing auditing) {
        this.metrics = metrics;
        this.auditing = auditing;
    }

    @ServerExceptionMapper
    public Response any(Throwable error, ContainerRequestContext request) {
        return respond(error, request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException error, ContainerRequestContext request) {
        return respond(error, request);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException error, ContainerRequestContext request) {
        return respond(error, request);
    }

    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException error, ContainerRequestContext request) {
        return respond(error, request);
    }

    private Response respond(Throwable error, ContainerRequestContext request) {
        RequestInfo info = RequestInfo.of(request);
        Problem problem = Problems.from(error).withInstance(info.endpoint()).withRequestId(info.requestId());
        if (problem.errorClass() != null) {
            metrics.sparkError(problem.errorClass());
        }
        // Unknown paths (404) stay out of the metrics: their tags would be unbounded.
        if (info.endpoint().startsWith("/v1/") && problem.status() != 404) {
            String endpoint = RequestInfo.template(info.endpoint());
            RequestLog.log(info.requestId(), endpoint, "-", problem.status(), 0, 0, info.elapsed(), null,
                    auditing.current().orElse(null));
            metrics.statement(endpoint, "-", problem.status(), info.elapsed(), 0, 0);
        }
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        Integer retryAfter = Problems.retryAfterSeconds(error);
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return response.build();
    }
}
