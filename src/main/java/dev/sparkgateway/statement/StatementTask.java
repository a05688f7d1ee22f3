package dev.sparkgateway.statement;

import dev.sparkgateway.observe.Audit;
import dev.sparkgateway.query.Cancellation;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.query.RunOptions;
import dev.sparkgateway.session.SessionScope;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import dev.sparkgateway.query.QueryLimits;
import java.util.function.BiFunction;

/**
 * What a statement runs, and for whom.
 *
 * @param owner       the principal submitting it: it owns the statement and its Idempotency-Keys
 * @param scope       where it runs: a pooled session of its Spark user, or the named session it joined
 * @param audit       who runs what, for the log line written when it ends
 * @param fingerprint equal for equal requests: an Idempotency-Key reused with another request is refused
 * @param limit       row limit
 * @param run         starts the query (e.g. {@code QueryService.sql}) with the given options
 * @param quota       the owner's own limits
 */
public record StatementTask(String owner, SessionScope scope, Audit audit, String fingerprint, OptionalLong limit,
        BiFunction<RunOptions, Cancellation, QueryResult> run, OwnerQuota quota) {

    /**
     * The owner's quota.
     *
     * @param maxRunning statements of the owner running or pending at once (empty: only the gateway's cap)
     * @param source     the setting behind {@code maxRunning}, to name it in the 429
     * @param limits     time and result bytes of each statement
     */
    public record OwnerQuota(OptionalInt maxRunning, String source, QueryLimits limits) {

        public static final OwnerQuota NONE = new OwnerQuota(OptionalInt.empty(), "", QueryLimits.NONE);

        public OwnerQuota {
            Objects.requireNonNull(maxRunning, "maxRunning is null");
            Objects.requireNonNull(source, "source is null");
            Objects.requireNonNull(limits, "limits is null");
        }
    }

    public StatementTask {
        Objects.requireNonNull(owner, "owner is null");
        Objects.requireNonNull(scope, "scope is null");
        Objects.requireNonNull(audit, "audit is null");
        Objects.requireNonNull(fingerprint, "fingerprint is null");
        Objects.requireNonNull(limit, "limit is null");
        Objects.requireNonNull(run, "run is null");
        Objects.requireNonNull(quota, "quota is null");
    }
}
