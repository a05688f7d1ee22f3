package dev.sparkgateway.observe;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.UUID;

/**
 * Every request has an id: the caller's {@code X-Request-Id} if it sent a sane one, else a new
 * UUID. It is echoed in the response, in problem+json bodies and in the request log line.
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** Request property holding System.nanoTime() at arrival. */
    public static final String STARTED = "gateway.started-nanos";

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
        String id = request.getHeaderString(HEADER);
        if (id == null || id.isBlank() || id.length() > 128 || !id.matches("[A-Za-z0-9._:-]+")) {
            request.getHeaders().putSingle(HEADER, UUID.randomUUID().toString());
        }
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        String id = request.getHeaderString(HEADER);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
    }
}
