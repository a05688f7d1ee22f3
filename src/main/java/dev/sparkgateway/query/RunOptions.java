package dev.sparkgateway.query;

import dev.sparkgateway.connect.ExecuteOptions;
import dev.sparkgateway.session.SessionScope;
import dev.sparkgateway.session.SparkUser;
import org.apache.spark.connect.proto.ExecutePlanResponse.ExecutionProgress;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * How to run one statement.
 *
 * @param scope        where it runs: a pooled session of its Spark user, or the named session it joined
 * @param limit        at most this many rows
 * @param reattachable run in Spark Connect's reattachable mode (long executions: the server cuts streams)
 * @param tags         Spark operation tags (non-empty, no commas), e.g. to find the operation later
 * @param progress     receives every ExecutionProgress report Spark sends
 * @param started      receives each Spark operation as it is sent (SQL: the command step, then the query)
 * @param timed        whether {@code gateway.query.timeout} applies (it is the synchronous endpoints' limit)
 * @param limits       the caller's quota: its timeout (the smaller one applies) and result bytes
 */
public record RunOptions(SessionScope scope, OptionalLong limit, boolean reattachable, List<String> tags, Consumer<ExecutionProgress> progress,
        Consumer<SparkOperation> started, boolean timed, QueryLimits limits) {

    public RunOptions {
        Objects.requireNonNull(scope, "scope is null");
        Objects.requireNonNull(limit, "limit is null");
        tags = List.copyOf(tags);
        Objects.requireNonNull(progress, "progress is null");
        Objects.requireNonNull(started, "started is null");
        Objects.requireNonNull(limits, "limits is null");
    }

    /** The synchronous endpoints' way: plain streams, progress ignored. */
    public static RunOptions sync(SessionScope scope, OptionalLong limit) {
        return sync(scope, limit, QueryLimits.NONE);
    }

    /** The synchronous endpoints' way, within the caller's quota. */
    public static RunOptions sync(SessionScope scope, OptionalLong limit, QueryLimits limits) {
        return new RunOptions(scope, limit, false, List.of(), p -> { }, op -> { }, true, limits);
    }

    /** The Spark user it runs as. */
    public SparkUser user() {
        return scope.user();
    }

    ExecuteOptions executeOptions() {
        return ExecuteOptions.fresh(reattachable, tags);
    }
}
