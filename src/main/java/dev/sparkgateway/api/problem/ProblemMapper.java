package dev.sparkgateway.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every exception that reaches JAX-RS to problem+json. The narrower methods exist only to
 * outrank Quarkus' built-in mappers for those types; all go through {@link Problems}.
 */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response any(Throwable error, UriInfo uri) {
        return respond(error, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException error, UriInfo uri) {
        return respond(error, uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException error, UriInfo uri) {
        return respond(error, uri);
    }

    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException error, UriInfo uri) {
        return respond(error, uri);
    }

    public static Response respond(Throwable error, UriInfo uri) {
        Problem problem = Problems.from(error).withInstance(uri.getPath());
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        Integer retryAfter = Problems.retryAfterSeconds(error);
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return response.build();
    }
}
