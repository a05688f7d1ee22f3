package dev.sparkgateway.session;

import java.time.Duration;

/** No session became free within the borrow timeout. */
public final class PoolExhaustedException extends RuntimeException {

    private final Duration retryAfter;

    public PoolExhaustedException(String userId, int max, Duration waited, Duration retryAfter) {
        super("All " + max + " Spark sessions of user '" + userId + "' stayed busy for " + waited.toMillis()
                + " ms; retry later or raise gateway.pool.max-sessions");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
