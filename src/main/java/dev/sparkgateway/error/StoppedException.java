package dev.sparkgateway.error;

/** The gateway stopped an operation: a time limit ran out, or someone cancelled it. */
public final class StoppedException extends GatewayException {

    public enum Reason {
        TIMED_OUT,
        CANCELLED
    }

    private StoppedException(Reason reason, String message, Throwable cause) {
        super(reason, message, cause, null);
    }

    public static StoppedException timedOut(String message, Throwable cause) {
        return new StoppedException(Reason.TIMED_OUT, message, cause);
    }

    public static StoppedException cancelled(String message, Throwable cause) {
        return new StoppedException(Reason.CANCELLED, message, cause);
    }

    public static StoppedException cancelled(String message) {
        return cancelled(message, null);
    }

    public Reason reason() {
        return (Reason) kind();
    }
}
