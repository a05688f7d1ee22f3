package dev.sparkgateway.error;

import java.util.Objects;

/** The gateway stopped an operation: a time limit ran out, or someone cancelled it. */
public final class StoppedException extends GatewayException {

    public enum Reason {
        TIMED_OUT,
        CANCELLED
    }

    private final Reason reason;

    public StoppedException(Reason reason, String message, Throwable cause) {
        super(message, cause, null);
        this.reason = Objects.requireNonNull(reason, "reason is null");
    }

    public static StoppedException cancelled(String message) {
        return new StoppedException(Reason.CANCELLED, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
