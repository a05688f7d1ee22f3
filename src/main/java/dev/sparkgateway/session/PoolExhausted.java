package dev.sparkgateway.session;

import dev.sparkgateway.error.LimitExceededException;

import java.time.Duration;

/** The errors of a pool whose sessions all stayed busy for the borrow timeout. */
final class PoolExhausted {

    private PoolExhausted() {
    }

    /** One user's sessions are all busy. */
    static LimitExceededException ofUser(String userId, int max, Duration waited, Duration retryAfter) {
        return new LimitExceededException(LimitExceededException.Reason.SESSIONS, "All " + max
                + " Spark sessions of user '" + userId + "' stayed busy for " + waited.toMillis()
                + " ms; retry later or raise gateway.pool.max-sessions", retryAfter);
    }

    static LimitExceededException ofGateway(int max, Duration waited, Duration retryAfter) {
        return new LimitExceededException(LimitExceededException.Reason.SESSIONS, "All " + max
                + " Spark sessions of the gateway (all users together) stayed busy for " + waited.toMillis()
                + " ms; retry later or raise gateway.pool.max-total-sessions", retryAfter);
    }
}
