package dev.sparkgateway.error;

import java.time.Duration;
import java.util.Objects;

/** The request clashes with the state of what it names. */
public final class ConflictException extends GatewayException {

    public enum Reason {
        /** A result (or chunk) that does not exist yet, or any more (409). */
        RESULT_UNAVAILABLE,
        /** An Idempotency-Key reused with a different request (422). */
        IDEMPOTENCY
    }

    private final Reason reason;

    public ConflictException(Reason reason, String message, Duration retryAfter) {
        super(message, null, retryAfter);
        this.reason = Objects.requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }
}
