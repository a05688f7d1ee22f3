package dev.sparkgateway.error;

import java.time.Duration;
import java.util.Objects;

/** A bound on requests, running work, sessions or spool space was reached; retrying later may work. */
public final class LimitExceededException extends GatewayException {

    public enum Reason {
        /** A principal's requests per second (429). */
        RATE,
        /** Statements or queries running at once, the gateway's or a principal's (429). */
        RUNNING,
        /** Every Spark session stayed busy (503). */
        SESSIONS,
        /** A result that does not fit into the spool (507). */
        SPOOL,
        /** A principal holds as many named sessions as it may (429). */
        NAMED_SESSIONS
    }

    public LimitExceededException(Reason reason, String message, Duration retryAfter) {
        super(Objects.requireNonNull(reason, "reason is null"), message, null, retryAfter);
    }

    public Reason reason() {
        return (Reason) kind();
    }
}
