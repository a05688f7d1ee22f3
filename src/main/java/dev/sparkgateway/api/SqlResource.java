package dev.sparkgateway.api;

import dev.sparkgateway.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.plan.SqlPlans;
import dev.sparkgateway.query.Analysis;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.result.ResultEncoder;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import dev.sparkgateway.problem.Problem;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;

/**
 * {@code POST /v1/sql}: one statement in, its rows streamed out in the negotiated format. Problem
 * responses declared with a status alone are described by {@code OpenApiDocumentFilter}.
 */
@Path("/v1/sql")
@APIResponse(responseCode = "413")
@APIResponse(responseCode = "415")
@APIResponse(responseCode = "503")
@Tag(name = "SQL", description = "Synchronous SQL statements")
public class SqlResource extends QueryResource {

    @POST
    @Blocking
    @Operation(operationId = "runSql", summary = "Run one SQL statement and stream its rows",
            description = "Queries and commands (DDL, DML, SET, SHOW, EXPLAIN...). The result format follows Accept"
                    + " (or ?format=): JSON (default), NDJSON, CSV or an Arrow IPC stream. Rows stream as Spark"
                    + " produces them; an HTTP client that disconnects interrupts the Spark operation.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SqlRequest.class),
                    examples = {
                            @ExampleObject(name = "query", value = "{\"sql\": \"SELECT 1 AS one\"}"),
                            @ExampleObject(name = "named parameters", value = "{\"sql\": \"SELECT * FROM range(10) WHERE id >= :min\","
                                    + " \"parameters\": {\"min\": 7}, \"limit\": 100}"),
                            @ExampleObject(name = "typed parameter", value = "{\"sql\": \"SELECT :price * 2 AS doubled\","
                                    + " \"parameters\": {\"price\": {\"value\": \"12.30\", \"type\": \"DECIMAL(10,2)\"}}}")}),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "SQL text", value = "SELECT id, id * id AS sq FROM range(3)"))})
    @APIResponse(responseCode = "200", description = "The rows, streamed", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonResult.class),
                    examples = @ExampleObject(name = "SELECT 1 AS one", value = "{\"schema\":[{\"name\":\"one\",\"type\":\"int\","
                            + "\"nullable\":false}],\"rows\":[[1]],\"rowCount\":1,\"truncated\":false}")),
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING,
                    description = "Line 1 {\"schema\":[...]}, one JSON array per row, last line {\"rowCount\":N,\"truncated\":bool}")),
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, description = "Header line, RFC 4180 rows")),
            @Content(mediaType = "application/vnd.apache.arrow.stream", schema = @Schema(type = SchemaType.STRING,
                    format = "binary", description = "One Arrow IPC stream; Accept parameter codec=zstd|lz4|none asks for compressed record batch bodies (docs/compression.md)"))})
    @APIResponse(responseCode = "400", description = "Invalid request or statement rejected by Spark", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "syntax error", value = "{\"type\":\"/problems/spark-error\",\"title\":"
                    + "\"Spark rejected the statement\",\"status\":400,\"detail\":\"[PARSE_SYNTAX_ERROR] Syntax error at or near"
                    + " 'SELEC'.\",\"instance\":\"/v1/sql\",\"errorClass\":\"PARSE_SYNTAX_ERROR\",\"sqlState\":\"42601\"}")))
    @APIResponse(responseCode = "406")
    @APIResponse(responseCode = "409", description = "Spark reports a conflict (e.g. table exists)")
    @APIResponse(responseCode = "429")
    @APIResponse(responseCode = "502")
    @APIResponse(responseCode = "504")
    public Response execute(@HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Parameter(description = "json, ndjson, csv or arrow; wins over Accept") @QueryParam("format") String format,
            @Parameter(description = "Row limit (also a body field)") @QueryParam("limit") Long limitParam,
            @Context HttpHeaders headers, @Context HttpServerRequest http,
            @Parameter(hidden = true) InputStream body) {
        RequestInfo info = RequestInfo.of(headers, "/v1/sql", null);
        ResultEncoder encoder = responses.encoder(accept, format);
        SqlRequest request = request(headers, bodies.read(body), limitParam);
        Principal principal = caller.get();
        info = info.with(auditing.statement(principal, request.sql()));
        return stream(info, encoder, principal, SessionHeader.scope(principal, headers, request.sessionId()), request.limit(), http,
                (options, cancellation) -> queries.sql(request.sql(), request.parameters(), options, cancellation));
    }

    @POST
    @Path("/schema")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "sqlSchema", summary = "The columns a query would return, without running it",
            description = "Same body as POST /v1/sql. Queries only: Spark runs commands (DDL, DML, SET) while planning"
                    + " them, so a command is refused with 400 instead.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SqlRequest.class),
                    examples = @ExampleObject(name = "query", value = "{\"sql\": \"SELECT id, id * 2 AS twice FROM range(3)\"}")),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "200", description = "The schema", content = @Content(
            schema = @Schema(implementation = SchemaResponse.class), examples = @ExampleObject(name = "two columns",
            value = "{\"schema\":[{\"name\":\"id\",\"type\":\"bigint\",\"nullable\":false},"
                    + "{\"name\":\"twice\",\"type\":\"bigint\",\"nullable\":false}]}")))
    @APIResponse(responseCode = "400", description = "Invalid request, a command, or rejected by Spark")
    public SchemaResponse schema(@Context HttpHeaders headers, @Parameter(hidden = true) InputStream body) {
        SqlRequest request = request(headers, bodies.read(body), null);
        return new SchemaResponse(analysis.schema(SessionHeader.scope(caller.get(), headers, request.sessionId()),
                SqlPlans.sql(request.sql(), request.parameters())));
    }

    @POST
    @Path("/explain")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "sqlExplain", summary = "Spark's plan for a query, without running it",
            description = "Same body as POST /v1/sql; queries only, as for /v1/sql/schema.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SqlRequest.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "200", description = "The plan text", content = @Content(
            schema = @Schema(implementation = ExplainResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid request or mode, a command, or rejected by Spark")
    public ExplainResponse explain(
            @Parameter(description = "simple (default), extended, codegen, cost or formatted") @QueryParam("mode") String mode,
            @Context HttpHeaders headers, @Parameter(hidden = true) InputStream body) {
        Analysis.ExplainMode explainMode = ExplainResponse.mode(mode);
        SqlRequest request = request(headers, bodies.read(body), null);
        return ExplainResponse.of(explainMode, analysis.explain(SessionHeader.scope(caller.get(), headers, request.sessionId()),
                SqlPlans.sql(request.sql(), request.parameters()), explainMode));
    }

    private SqlRequest request(HttpHeaders headers, byte[] body, Long limitParam) {
        if (bodies.isJson(headers, body)) {
            SqlRequest request = bodies.parse(body, SqlRequest.class);
            if (request.sql() == null) {
                throw new InvalidRequestException("missing field 'sql'", "/sql");
            }
            if (request.limit() != null && limitParam != null && !request.limit().equals(limitParam)) {
                throw new InvalidRequestException("limit given twice with different values", "/limit");
            }
            return request.limit() == null && limitParam != null
                    ? new SqlRequest(request.sql(), request.parameters(), limitParam, request.sessionId()) : request;
        }
        return new SqlRequest(RequestBodies.text(body), (JsonNode) null, limitParam, null);
    }
}
