package dev.sparkgateway.statement;

import dev.sparkgateway.observe.Audit;
import dev.sparkgateway.query.Cancellation;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.query.RunOptions;
import dev.sparkgateway.session.SparkUser;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * What a statement runs, and for whom.
 *
 * @param owner       the principal submitting it: it owns the statement and its Idempotency-Keys
 * @param user        the Spark user it runs as
 * @param audit       who runs what, for the log line written when it ends
 * @param fingerprint equal for equal requests: an Idempotency-Key reused with another request is refused
 * @param limit       row limit
 * @param run         starts the query (e.g. {@code QueryService.sql}) with the given options
 */
public record StatementTask(String owner, SparkUser user, Audit audit, Object fingerprint, OptionalLong limit,
        BiFunction<RunOptions, Cancellation, QueryResult> run) {

    public StatementTask {
        Objects.requireNonNull(owner, "owner is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(audit, "audit is null");
        Objects.requireNonNull(fingerprint, "fingerprint is null");
        Objects.requireNonNull(limit, "limit is null");
        Objects.requireNonNull(run, "run is null");
    }
}
