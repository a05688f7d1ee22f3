package dev.sparkgateway.error;

import java.time.Duration;

/** The request clashes with the state of what it names. */
public final class ConflictException extends GatewayException {

    public enum Reason {
        /** A result (or chunk) that does not exist yet, or any more (409). */
        RESULT_UNAVAILABLE,
        /** An Idempotency-Key reused with a different request (422). */
        IDEMPOTENCY,
        /** A named session whose state the Spark server lost, e.g. in a restart (410). */
        SESSION_LOST
    }

    private ConflictException(Reason reason, String message, Duration retryAfter) {
        super(reason, message, null, retryAfter);
    }

    /** @param retryAfter when the result may be there, or null when it never will */
    public static ConflictException resultUnavailable(String message, Duration retryAfter) {
        return new ConflictException(Reason.RESULT_UNAVAILABLE, message, retryAfter);
    }

    public static ConflictException idempotency(String message) {
        return new ConflictException(Reason.IDEMPOTENCY, message, null);
    }

    public static ConflictException sessionLost(String message) {
        return new ConflictException(Reason.SESSION_LOST, message, null);
    }

    public Reason reason() {
        return (Reason) kind();
    }
}
