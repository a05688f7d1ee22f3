package dev.sparkgateway.api;

import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.problem.Problem;
import dev.sparkgateway.audit.Auditing;
import dev.sparkgateway.auth.CurrentPrincipal;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.result.ResultEncoder;
import dev.sparkgateway.result.ResultFailedException;
import dev.sparkgateway.result.ResultFormats;
import dev.sparkgateway.statement.ChunkInfo;
import dev.sparkgateway.statement.SpooledChunk;
import dev.sparkgateway.statement.Statement;
import dev.sparkgateway.statement.StatementAccess;
import dev.sparkgateway.statement.StatementConfig;
import dev.sparkgateway.statement.StatementPage;
import dev.sparkgateway.statement.StatementState;
import dev.sparkgateway.statement.StatementStore;
import dev.sparkgateway.statement.StatementView;
import dev.sparkgateway.statement.Statements;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asynchronous statements: submit (optionally waiting), poll, fetch result chunks, cancel or
 * close ({@link StatementEventsResource} has their events). The work happens in {@link Statements}.
 */
@Path("/v1/statements")
@Tag(name = "Statements", description = "Asynchronous statements with spooled, chunked results")
public class StatementResource {

    static final String PATH = "/v1/statements";
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 500;
    /** The 404 of every operation on one statement (OpenApiDocumentFilter adds the problem body). */
    static final String GONE = "Unknown, deleted, expired, evicted, or from before a gateway restart";

    // Injected into fields, as in QueryResource: a constructor would only pass them through.
    @Inject
    Statements statements;
    @Inject
    StatementTasks tasks;
    @Inject
    ResultResponses responses;
    @Inject
    RequestBodies bodies;
    @Inject
    StatementConfig config;
    @Inject
    ResultFormats formats;
    @Inject
    CurrentPrincipal caller;
    @Inject
    Auditing auditing;

    @POST
    @Blocking
    @Operation(operationId = "submitStatement", summary = "Submit a statement; wait up to waitTimeout for it",
            description = "200 when it ended within the wait (a small first chunk comes inline), else 202 with the"
                    + " handle (Location). The same Idempotency-Key returns the same statement instead of running it again.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatementRequest.class),
                    examples = {
                            @ExampleObject(name = "wait up to 30 s", value = "{\"sql\": \"SELECT count(*) FROM range(100000000)\","
                                    + " \"waitTimeout\": \"PT30S\"}"),
                            @ExampleObject(name = "return at once", value = "{\"sql\": \"SELECT * FROM range(10000000)\","
                                    + " \"waitTimeout\": 0}")}),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "200", description = "Ended within the wait", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatementResponse.class)))
    @APIResponse(responseCode = "202", description = "Still running (or pending)", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatementResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid request", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body too large", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Body neither JSON nor text", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Idempotency-Key reused with another request", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many running statements, the gateway's or the caller's quota (Retry-After)", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submit(
            @Parameter(description = "Same key, same statement (while it is stored)") @HeaderParam("Idempotency-Key") String key,
            @Context HttpHeaders headers, @Parameter(hidden = true) InputStream body) {
        StatementRequest request = request(headers, bodies.read(body));
        Duration wait = request.waitFor(config.defaultWaitTimeout(), config.maxWaitTimeout());
        Principal principal = caller.get();
        Statement statement = statements.submit(StatementTasks.idempotencyKey(key),
                tasks.of(principal, request, SessionHeader.scope(principal, headers, request.sessionId())));
        // No thread waits: the response is made once the statement ends or the wait passes.
        return statements.awaitEnd(statement, wait).map(ended -> {
            StatementView view = ended;
            if (!view.state().isTerminal() && request.cancelOnWaitTimeout()) {
                view = statements.cancel(statement, "The statement was still running when waitTimeout (" + wait
                        + ") passed and onWaitTimeout is CANCEL");
            }
            return Response.status(view.state().isTerminal() ? Response.Status.OK : Response.Status.ACCEPTED)
                    .location(URI.create(PATH + "/" + view.id()))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(StatementResponse.of(view, PATH + "/" + view.id(), inlineChunk(statement, view)))
                    .build();
        });
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getStatement", summary = "A statement's state, live progress and result chunks")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StatementResponse.class)))
    @APIResponse(responseCode = "404", description = GONE)
    public Response get(@PathParam("id") String id) {
        return json(statement(id).view());
    }

    @GET
    @Operation(operationId = "listStatements", summary = "The caller's statements, newest first (an admin sees everyone's)",
            description = "Statements the gateway holds (running, or finished within the result TTL; with the postgresql"
                    + " store, those of every replica), filtered by state, submit time and fingerprint, paged: pass"
                    + " nextPageToken as pageToken for the next page (with the same filters).")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StatementListResponse.class)))
    @APIResponse(responseCode = "400", description = "Unknown state, bad time, fingerprint, limit or page token", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(
            @Parameter(description = "Only statements in this state (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED, CLOSED)")
            @QueryParam("state") String state,
            @Parameter(description = "Only statements submitted after this ISO-8601 instant (e.g. 2026-12-01T00:00:00Z)")
            @QueryParam("createdAfter") String createdAfter,
            @Parameter(description = "Only statements submitted before this ISO-8601 instant")
            @QueryParam("createdBefore") String createdBefore,
            @Parameter(description = "Only runs of one statement: its fingerprint, or the first hex digits of it")
            @QueryParam("fingerprint") String fingerprint,
            @Parameter(description = "Page size, 1-" + MAX_PAGE + " (default " + DEFAULT_PAGE + ")") @QueryParam("limit") Integer limit,
            @Parameter(description = "nextPageToken of the previous page") @QueryParam("pageToken") String pageToken) {
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_PAGE + ", got " + size);
        }
        Optional<StatementPage.Cursor> after = Optional.empty();
        if (pageToken != null && !pageToken.isEmpty()) {
            after = StatementPage.Cursor.parse(pageToken);
            if (after.isEmpty()) {
                throw new InvalidRequestException("pageToken is not a token this gateway issued");
            }
        }
        StatementStore.Filter filter = StatementFilters.of(state, createdAfter, createdBefore, fingerprint);
        StatementPage page = statements.list(access(caller.get()), filter, size, after);
        List<StatementResponse> listed = page.statements().stream().map(StatementResource::response).toList();
        return Response.ok(new StatementListResponse(listed, page.next().map(StatementPage.Cursor::token).orElse(null)),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The caller's statement, or 404 as for one that never existed. */
    private Statement statement(String id) {
        return statements.get(id, access(caller.get()));
    }

    /** Whose statements {@code principal} may see: its own, or everyone's if it is an admin. */
    static StatementAccess access(Principal principal) {
        return new StatementAccess(principal.name(), principal.admin());
    }

    @GET
    @Path("{id}/result/chunks/{index}")
    @Blocking
    @Operation(operationId = "getStatementChunk", summary = "One result chunk, in any format of /v1/sql",
            description = "Chunks can be fetched again and in parallel until the result TTL passes or DELETE closes"
                    + " the statement; chunks listed while the statement still runs are complete already. An Arrow"
                    + " chunk is a standalone Arrow IPC stream.")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonResult.class)),
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/vnd.apache.arrow.stream", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "404", description = "Unknown statement or chunk", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not spooled yet (Retry-After), or no result (failed, cancelled, closed)",
            headers = @Header(name = "Retry-After", ref = "Retry-After"), content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response chunk(@PathParam("id") String id, @PathParam("index") int index,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Parameter(description = "json, ndjson, csv or arrow; wins over Accept") @QueryParam("format") String format,
            @Context HttpHeaders headers, @Context HttpServerRequest http) {
        RequestInfo info = RequestInfo.of(headers, PATH + "/{id}/result/chunks/{index}", auditing.current().orElse(null));
        ResultEncoder encoder = responses.encoder(accept, format);
        Statement statement = statement(id);
        SpooledChunk chunk = statements.chunk(statement, index);
        return responses.stream(chunk, statement.view().operationId(), encoder, info, http);
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteStatement", summary = "Cancel a running statement (Spark Interrupt), or remove a finished one with its result")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StatementResponse.class)))
    @APIResponse(responseCode = "404", description = GONE)
    public Response delete(@PathParam("id") String id) {
        return json(statements.close(statement(id)));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(operationId = "cancelStatement", summary = "Cancel a running statement; a finished one is left as it is")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StatementResponse.class)))
    @APIResponse(responseCode = "404", description = GONE)
    public Response cancel(@PathParam("id") String id) {
        return json(statements.cancel(statement(id), null));
    }

    private StatementRequest request(HttpHeaders headers, byte[] body) {
        if (bodies.isJson(headers, body)) {
            return bodies.parse(body, StatementRequest.class).validated();
        }
        return new StatementRequest(RequestBodies.text(body), null, null, null, null, null, null).validated();
    }

    private static Response json(StatementView view) {
        return Response.ok(response(view), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The statement as GET, lists and events show it: without the inline chunk. */
    static StatementResponse response(StatementView view) {
        return StatementResponse.of(view, PATH + "/" + view.id(), null);
    }

    /** Chunk 0 as its JSON body, when the statement succeeded and the chunk is small. */
    private String inlineChunk(Statement statement, StatementView view) {
        List<ChunkInfo> chunks = view.chunks();
        if (view.state() != StatementState.SUCCEEDED || chunks.isEmpty()
                || chunks.get(0).byteCount() > config.inlineMaxSize().asLongValue()) {
            return null;
        }
        try {
            SpooledChunk chunk = statements.chunk(statement, 0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            formats.byName("json").orElseThrow().encode(chunk, out, responses::problem);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException | ResultFailedException | RuntimeException e) {
            // Closed meanwhile: the handle is answer enough.
            return null;
        }
    }
}
