package dev.sparkgateway.query;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The caller's own limits on one query (its principal's quota), on top of the gateway's.
 *
 * @param timeout        longest it may run; then it is cancelled in Spark
 * @param maxResultBytes Arrow bytes its result may carry; a batch that would pass it is not sent and the result is truncated
 */
public record QueryLimits(Optional<Duration> timeout, OptionalLong maxResultBytes) {

    public static final QueryLimits NONE = new QueryLimits(Optional.empty(), OptionalLong.empty());
    /** How timeouts from these limits are named in errors. */
    static final String TIMEOUT_SETTING = "the principal's quota gateway.quotas.statement-timeout";

    public QueryLimits {
        Objects.requireNonNull(timeout, "timeout is null");
        Objects.requireNonNull(maxResultBytes, "maxResultBytes is null");
    }
}
