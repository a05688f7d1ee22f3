package dev.sparkgateway.api;

import dev.sparkgateway.problem.Problem;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;

/**
 * {@code POST /sql}: the short door of the project's brief ({@code curl -d 'SELECT 1' host/sql}),
 * an alias of {@code POST /v1/sql}. It hands the request to {@link SqlResource} as it came, so
 * body, formats, Accept negotiation, limits, quotas and problems are those of /v1/sql; the request
 * log and metrics count it as /v1/sql. Documented rather than hidden, marked as an alias
 * ({@code x-alias-of}, set by {@code OpenApiDocumentFilter}), so that nobody takes it for a second API; programs should use the
 * versioned path.
 */
@Path(SqlAliasResource.PATH)
@Tag(name = "SQL")
public class SqlAliasResource {

    static final String PATH = "/sql";

    private final SqlResource sql;

    public SqlAliasResource(SqlResource sql) {
        this.sql = sql;
    }

    @POST
    @Blocking
    @Operation(operationId = "runSqlAlias", summary = "Alias of POST /v1/sql",
            description = "Exactly POST /v1/sql under a shorter path, for curl -d 'SELECT 1' localhost:8080/sql:"
                    + " the same body, result formats, parameters and problems. Prefer /v1/sql in programs.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SqlRequest.class))})
    @APIResponse(responseCode = "200", description = "As for POST /v1/sql", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonResult.class)),
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/vnd.apache.arrow.stream", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "400", description = "As for POST /v1/sql", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "406")
    @APIResponse(responseCode = "409", description = "Spark reports a conflict (e.g. table exists)")
    @APIResponse(responseCode = "413")
    @APIResponse(responseCode = "415")
    @APIResponse(responseCode = "429")
    @APIResponse(responseCode = "502")
    @APIResponse(responseCode = "503")
    @APIResponse(responseCode = "504")
    public Response execute(@HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Parameter(description = "json, ndjson, csv or arrow; wins over Accept") @QueryParam("format") String format,
            @Parameter(description = "Row limit (also a body field)") @QueryParam("limit") Long limitParam,
            @Context HttpHeaders headers, @Context HttpServerRequest http,
            @Parameter(hidden = true) InputStream body) {
        return sql.execute(accept, format, limitParam, headers, http, body);
    }
}
