package dev.sparkgateway.api;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the Content-Type before routing: resource matching would otherwise answer an unparsable
 * one with a bare 400 and an empty one with a 500. Both become a 415 naming the header.
 */
public class ContentTypeFilter {

    /** After {@code RequestIds} (priority USER), so the 415 carries the request id. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 100)
    public void check(ContainerRequestContext request) {
        RequestBodies.mediaType(request.getHeaderString(HttpHeaders.CONTENT_TYPE));
    }
}
