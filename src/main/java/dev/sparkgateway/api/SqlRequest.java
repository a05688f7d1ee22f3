package dev.sparkgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /v1/sql}.
 *
 * @param sql        the statement: a query or a command (DDL, DML, SET, SHOW, EXPLAIN...)
 * @param parameters an object binds {@code :name} markers, an array binds {@code ?} markers; a value is
 *                   plain JSON or {@code {"value": ..., "type": "DECIMAL(10,2)"}}
 * @param limit      at most this many rows are returned; {@code truncated} tells whether more existed
 * @param sessionId  the named session to run in (as the {@code X-Session-Id} header)
 */
@Schema(name = "SqlRequest", description = "A SQL statement with optional parameters and row limit")
public record SqlRequest(
        @Schema(required = true, examples = "SELECT id, id * 2 AS twice FROM range(5) WHERE id > :min") String sql,
        @Schema(ref = "SqlParameters", examples = "{\"min\": 1}") JsonNode parameters,
        @Schema(description = "Maximum number of rows to return", minimum = "0") Long limit,
        @Schema(description = "Run in this named session (POST /v1/sessions), as the X-Session-Id header does")
        String sessionId) {
}
