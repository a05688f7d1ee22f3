package dev.sparkgateway.api;

import dev.sparkgateway.observe.Audit;
import dev.sparkgateway.observe.RequestIds;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import java.time.Duration;

/**
 * What the request log and metrics need to know about the request being served.
 *
 * @param audit who runs which statement; null where nobody is known (an open path)
 */
public record RequestInfo(String requestId, String endpoint, long startedNanos, Audit audit) {

    public static RequestInfo of(HttpHeaders headers, String endpoint, Audit audit) {
        return new RequestInfo(headers.getHeaderString(RequestIds.HEADER), endpoint, System.nanoTime(), audit);
    }

    public static RequestInfo of(ContainerRequestContext request) {
        Object started = request.getProperty(RequestIds.STARTED);
        return new RequestInfo(request.getHeaderString(RequestIds.HEADER), request.getUriInfo().getPath(),
                started instanceof Long nanos ? nanos : System.nanoTime(), null);
    }

    public RequestInfo with(Audit audit) {
        return new RequestInfo(requestId, endpoint, startedNanos, audit);
    }

    /** The path with ids replaced by placeholders, so metric tags stay few. */
    public static String template(String path) {
        if (path.startsWith("/v1/catalogs/")) {
            // Catalog, database and table names would make a tag per table.
            return path.replaceFirst("^/v1/catalogs/[^/]+", "/v1/catalogs/{catalog}")
                    .replaceFirst("/databases/[^/]+", "/databases/{database}")
                    .replaceFirst("/tables/[^/]+$", "/tables/{table}");
        }
        return path.replaceFirst("^/v1/statements/[^/]+", "/v1/statements/{id}")
                .replaceFirst("/result/chunks/[^/]+$", "/result/chunks/{index}");
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
