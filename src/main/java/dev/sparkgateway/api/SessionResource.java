package dev.sparkgateway.api;

import dev.sparkgateway.auth.CurrentPrincipal;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.session.NamedSession;
import dev.sparkgateway.session.NamedSessions;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

import java.io.InputStream;
import java.net.URI;

/**
 * Named sessions: create, look at, list and delete them ({@link NamedSessions} does the work).
 * Requests join one with {@code X-Session-Id}; only the principal that created a session sees or
 * uses it, and every other id, another principal's included, is the same 404.
 */
@Path("/v1/sessions")
@Tag(name = "Sessions", description = "Named sessions: temp views, SET, USE and cached tables persist across requests")
public class SessionResource {

    static final String PATH = "/v1/sessions";
    private static final String GONE = "Unknown, deleted, expired, or another principal's session (one answer for all)";

    @Inject
    NamedSessions sessions;
    @Inject
    RequestBodies bodies;
    @Inject
    CurrentPrincipal caller;

    @POST
    @Blocking
    @Operation(operationId = "createSession", summary = "Create a named session",
            description = "Creates a Spark session for the caller, with its Spark user and, for non-admins, the SQL policy"
                    + " (as every request's session). The optional conf entries are applied as SET commands, so the policy"
                    + " judges each; spark.sparkgateway.* keys are the gateway's own and refused; database is USEd. Send"
                    + " the returned sessionId as X-Session-Id on /v1/sql, /v1/dataframe, /v1/plan, /v1/statements and"
                    + " their /schema and /explain to run there. Requests in one session may run concurrently (Spark runs"
                    + " them side by side on the same state). It ends when deleted, idle for gateway.sessions.idle-timeout,"
                    + " or gateway.sessions.max-lifetime after creation.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SessionRequest.class), examples = @ExampleObject(name = "conf and database",
            value = "{\"conf\": {\"spark.sql.shuffle.partitions\": 4, \"spark.sql.ansi.enabled\": true}, \"database\": \"sales\"}")))
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location",
            description = "The session's URL (GET it, DELETE it)", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid body, a spark.sparkgateway.* conf, or a SET/USE Spark rejected")
    @APIResponse(responseCode = "413")
    @APIResponse(responseCode = "415", description = "Body not JSON")
    @APIResponse(responseCode = "429", description = "The caller holds gateway.sessions.max-per-principal sessions already")
    @APIResponse(responseCode = "503")
    public Response create(@Context HttpHeaders headers, @Parameter(hidden = true) InputStream body) {
        byte[] bytes = bodies.read(body);
        SessionRequest request = SessionRequest.EMPTY;
        if (!RequestBodies.text(bytes).isBlank()) {
            bodies.json(headers, bytes, "a session request"); // 415 unless JSON
            request = bodies.parse(bytes, SessionRequest.class);
        }
        Principal principal = caller.get();
        NamedSession created = sessions.create(principal.name(), principal.spark(), request.confText(), request.databaseName());
        return Response.created(URI.create(PATH + "/" + created.id())).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(SessionResponse.of(created)).build();
    }

    @GET
    @Operation(operationId = "listSessions", summary = "The caller's named sessions (never anyone else's, admins' included)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SessionListResponse.class)))
    public SessionListResponse list() {
        return new SessionListResponse(sessions.list(caller.get().name()).stream().map(SessionResponse::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getSession", summary = "A named session: its state and when it expires")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "404", description = GONE)
    public SessionResponse get(@PathParam("id") String id) {
        Principal principal = caller.get();
        return SessionResponse.of(sessions.get(principal.name(), principal.spark(), id));
    }

    @DELETE
    @Path("{id}")
    @Blocking
    @Operation(operationId = "deleteSession", summary = "End a named session",
            description = "Releases the Spark session (ReleaseSession): its temp views, settings and cached tables are gone,"
                    + " and operations still running in it are interrupted.")
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "404", description = GONE)
    public Response delete(@PathParam("id") String id) {
        Principal principal = caller.get();
        sessions.delete(principal.name(), principal.spark(), id);
        return Response.noContent().build();
    }
}
