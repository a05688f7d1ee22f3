package dev.sparkgateway.error;

import java.util.Objects;

/**
 * The request itself is wrong; sending it again unchanged fails again. {@code pointer} is the JSON
 * Pointer (RFC 6901) of the offending value in the body, e.g. {@code /parameters/since}, or null.
 * Not sealed: the plan translator's {@code PlanException} is one kind of it.
 */
public non-sealed class InvalidRequestException extends GatewayException {

    public enum Reason {
        /** A value, field or body the gateway cannot use. */
        INVALID,
        /** A request body of a media type the endpoint does not take. */
        UNSUPPORTED_MEDIA_TYPE,
        /** No accepted result format is produced. */
        NOT_ACCEPTABLE,
        /** A body over the size limit. */
        TOO_LARGE
    }

    private final String pointer;

    public InvalidRequestException(Reason reason, String message, String pointer) {
        super(Objects.requireNonNull(reason, "reason is null"), message, null, null);
        this.pointer = pointer;
    }

    public InvalidRequestException(Reason reason, String message) {
        this(reason, message, null);
    }

    public InvalidRequestException(String message, String pointer) {
        this(Reason.INVALID, message, pointer);
    }

    public InvalidRequestException(String message) {
        this(Reason.INVALID, message, null);
    }

    public Reason reason() {
        return (Reason) kind();
    }

    public String pointer() {
        return pointer;
    }
}
