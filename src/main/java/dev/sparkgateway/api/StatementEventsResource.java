package dev.sparkgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.auth.CurrentPrincipal;
import dev.sparkgateway.statement.Statement;
import dev.sparkgateway.statement.StatementState;
import dev.sparkgateway.statement.StatementView;
import dev.sparkgateway.statement.Statements;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * A statement's Server-Sent Events: one per change, named {@code state} when its state changed and
 * {@code progress} otherwise, its id the statement's version, its data the statement as
 * {@code GET /v1/statements/{id}} shows it; a {@code :keep-alive} comment when nothing changed for
 * {@link #HEARTBEAT}. No thread is held while a listener waits for the next change.
 */
@Path(StatementResource.PATH + "/{id}/events")
@Tag(name = "Statements")
public class StatementEventsResource {

    private static final Logger LOG = Logger.getLogger(StatementEventsResource.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    @Inject
    Statements statements;
    @Inject
    CurrentPrincipal caller;
    @Inject
    ObjectMapper json;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "statementEvents", summary = "Server-Sent Events: progress and state changes until the statement ends",
            description = "Each event (name 'state' or 'progress') carries the statement as JSON; a comment every"
                    + " 10 s keeps idle connections open. Listening counts as polling (no abandonment).")
    @APIResponse(responseCode = "200", description = "The event stream: progress and state events, then one end event", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = StatementResource.GONE)
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse, @Context HttpServerResponse http) {
        Statement statement = statements.get(id, StatementResource.access(caller.get()));
        http.putHeader("Cache-Control", "no-cache");
        // A Multi, not an SseEventSink sent to from the statement's threads: RESTEasy writes the
        // stream's head before the first event, where a sink raced its initial response ("Response
        // head already sent", and a console whose events never came; seen once in CI).
        return Multi.createFrom().emitter(emitter -> next(new Listener(statement, emitter, sse), -1, null));
    }

    private record Listener(Statement statement, MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
    }

    /** Sends the next event (or keep-alive) after version {@code seen}, whose state was {@code last}. */
    private void next(Listener listener, long seen, StatementState last) {
        statements.awaitChange(listener.statement(), seen, HEARTBEAT).subscribe().with(
                view -> send(listener, view, seen, last),
                error -> {
                    LOG.warnf(error, "statement %s: events failed", listener.statement().id());
                    listener.emitter().complete();
                });
    }

    private void send(Listener listener, StatementView view, long seen, StatementState last) {
        MultiEmitter<? super OutboundSseEvent> emitter = listener.emitter();
        if (emitter.isCancelled()) {
            // The client went away: stop listening, so the statement can be found abandoned.
            return;
        }
        OutboundSseEvent event;
        try {
            event = view.version() == seen ? listener.sse().newEventBuilder().comment("keep-alive").build()
                    : listener.sse().newEventBuilder()
                            .name(view.state() == last ? "progress" : "state")
                            .id(Long.toString(view.version()))
                            .data(json.writeValueAsString(StatementResource.response(view)))
                            .build();
        } catch (JsonProcessingException e) {
            LOG.debugf(e, "statement %s: events ended", view.id()); // not serialisable: a bug
            emitter.complete();
            return;
        }
        emitter.emit(event);
        if (view.state().isTerminal()) {
            emitter.complete();
        } else {
            next(listener, view.version(), view.state());
        }
    }
}
