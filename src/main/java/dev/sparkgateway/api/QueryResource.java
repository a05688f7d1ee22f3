package dev.sparkgateway.api;

import dev.sparkgateway.audit.Auditing;
import dev.sparkgateway.auth.CurrentPrincipal;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.query.Analysis;
import dev.sparkgateway.query.Cancellation;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.query.QueryService;
import dev.sparkgateway.query.RunOptions;
import dev.sparkgateway.quota.Quota;
import dev.sparkgateway.quota.Quotas;
import dev.sparkgateway.result.ResultEncoder;
import dev.sparkgateway.session.SessionScope;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * What the synchronous query endpoints (SQL, DataFrame specs, raw plans) share: the caller, its
 * request body and audit line, and running one query for it with its rows streamed back.
 * Problem responses an operation declares with a status alone are described by
 * {@code OpenApiDocumentFilter}.
 */
abstract class QueryResource {

    // Injected into fields so that subclasses need no constructor passing them through.
    @Inject
    QueryService queries;
    @Inject
    Analysis analysis;
    @Inject
    ResultResponses responses;
    @Inject
    RequestBodies bodies;
    @Inject
    CurrentPrincipal caller;
    @Inject
    Auditing auditing;
    @Inject
    Quotas quotas;

    /**
     * Runs {@code query} in {@code scope} under the principal's quota (its row limit applied to
     * {@code limit}), cancelled when the client disconnects, and streams its rows as {@code encoder} writes them.
     */
    Response stream(RequestInfo info, ResultEncoder encoder, Principal principal, SessionScope scope, Long limit,
            HttpServerRequest http, BiFunction<RunOptions, Cancellation, QueryResult> query) {
        Quota quota = quotas.of(principal);
        Cancellation cancellation = responses.cancelOnDisconnect(http);
        QueryResult result = quotas.runQuery(principal, cancellation, () -> query.apply(
                RunOptions.sync(scope, quota.rowLimit(limit(limit)), quota.queryLimits()), cancellation));
        return responses.stream(result, encoder, info, http);
    }

    static OptionalLong limit(Long limit) {
        if (limit == null) {
            return OptionalLong.empty();
        }
        if (limit < 0) {
            throw new InvalidRequestException("limit must be 0 or more, got " + limit, "/limit");
        }
        return OptionalLong.of(limit);
    }
}
