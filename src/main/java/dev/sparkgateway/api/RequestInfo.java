package dev.sparkgateway.api;

import dev.sparkgateway.observe.RequestIds;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import java.time.Duration;

/** What the request log and metrics need to know about the request being served. */
public record RequestInfo(String requestId, String endpoint, long startedNanos) {

    public static RequestInfo of(HttpHeaders headers, String endpoint) {
        return new RequestInfo(headers.getHeaderString(RequestIds.HEADER), endpoint, System.nanoTime());
    }

    public static RequestInfo of(ContainerRequestContext request) {
        Object started = request.getProperty(RequestIds.STARTED);
        return new RequestInfo(request.getHeaderString(RequestIds.HEADER), request.getUriInfo().getPath(),
                started instanceof Long nanos ? nanos : System.nanoTime());
    }

    /** The path with ids replaced by placeholders, so metric tags stay few. */
    public static String template(String path) {
        return path.replaceFirst("^/v1/statements/[^/]+", "/v1/statements/{id}")
                .replaceFirst("/result/chunks/[^/]+$", "/result/chunks/{index}");
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
