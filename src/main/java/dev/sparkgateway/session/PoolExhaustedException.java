package dev.sparkgateway.session;

import java.time.Duration;

/** No session became free within the borrow timeout. */
public final class PoolExhaustedException extends RuntimeException {

    private final Duration retryAfter;

    private PoolExhaustedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** One user's sessions are all busy. */
    public PoolExhaustedException(String userId, int max, Duration waited, Duration retryAfter) {
        this("All " + max + " Spark sessions of user '" + userId + "' stayed busy for " + waited.toMillis()
                + " ms; retry later or raise gateway.pool.max-sessions", retryAfter);
    }

    static PoolExhaustedException ofGateway(int max, Duration waited, Duration retryAfter) {
        return new PoolExhaustedException("All " + max + " Spark sessions of the gateway (all users together) stayed busy for "
                + waited.toMillis() + " ms; retry later or raise gateway.pool.max-total-sessions", retryAfter);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
