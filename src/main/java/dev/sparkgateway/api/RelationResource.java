package dev.sparkgateway.api;

import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.plan.RestrictedPlans;
import dev.sparkgateway.query.Analysis;
import dev.sparkgateway.result.ResultEncoder;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.spark.connect.proto.Relation;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.InputStream;

/**
 * The endpoints shared by everything that describes a query as a relation (a DataFrame spec, a
 * raw plan): run it, or ask for its schema or plan without running it. Subclasses only say how a
 * request body becomes a relation. (Class-level OpenAPI responses do not carry over to subclasses,
 * so each subclass lists the problems all its operations share.)
 */
abstract class RelationResource extends QueryResource {

    /** The request body as a relation for {@code principal} (null: nothing runs); throws a 4xx exception naming what is wrong. */
    abstract Relation relation(HttpHeaders headers, byte[] body, Principal principal);

    /**
     * The body as a relation for the caller, recorded for the request's audit line; for a restricted
     * caller without what Spark would act on before its policy could see it.
     */
    private Relation relation(HttpHeaders headers, InputStream body, Principal principal) {
        byte[] bytes = bodies.read(body);
        auditing.statement(principal, RequestBodies.text(bytes));
        Relation relation = relation(headers, bytes, principal);
        if (principal.restricted()) {
            RestrictedPlans.violation(relation).ifPresent(what -> {
                throw DeniedException.policy("Not allowed for a restricted principal: " + what);
            });
        }
        return relation;
    }

    /** The body as a relation, for answers that run nothing (a plan shown). */
    Relation relationOnly(HttpHeaders headers, InputStream body) {
        return relation(headers, bodies.read(body), null);
    }

    /** Runs the body's relation and streams its rows like /v1/sql does. */
    Response run(String endpoint, String accept, String format, Long limit, HttpHeaders headers, HttpServerRequest http,
            InputStream body) {
        RequestInfo info = RequestInfo.of(headers, endpoint, null);
        ResultEncoder encoder = responses.encoder(accept, format);
        Principal principal = caller.get();
        Relation relation = relation(headers, body, principal);
        return stream(info.with(auditing.current().orElse(null)), encoder, principal, SessionHeader.scope(principal, headers), limit, http,
                (options, cancellation) -> queries.relation(relation, options, cancellation));
    }

    @POST
    @Path("/schema")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The columns this would return, without running it",
            description = "Same body as the POST without /schema. SQL sources must be queries: Spark runs commands while"
                    + " planning them, so they are refused here.")
    @APIResponse(responseCode = "200", description = "The schema, in the form of a JSON result's schema",
            content = @Content(schema = @Schema(implementation = SchemaResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid body, a command, or rejected by Spark")
    public SchemaResponse schema(@Context HttpHeaders headers, @Parameter(hidden = true) InputStream body) {
        Principal principal = caller.get();
        return new SchemaResponse(analysis.schema(SessionHeader.scope(principal, headers), relation(headers, body, principal)));
    }

    @POST
    @Path("/explain")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Spark's plan for this, without running it", description = "Same body as the POST without /explain.")
    @APIResponse(responseCode = "200", description = "The plan text",
            content = @Content(schema = @Schema(implementation = ExplainResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid body or mode, a command, or rejected by Spark")
    public ExplainResponse explain(
            @Parameter(description = "simple (default), extended, codegen, cost or formatted") @QueryParam("mode") String mode,
            @Context HttpHeaders headers, @Parameter(hidden = true) InputStream body) {
        Analysis.ExplainMode explainMode = ExplainResponse.mode(mode);
        Principal principal = caller.get();
        return ExplainResponse.of(explainMode, analysis.explain(SessionHeader.scope(principal, headers),
                relation(headers, body, principal), explainMode));
    }
}
