package dev.sparkgateway.plan;

import dev.sparkgateway.error.InvalidRequestException;

import java.util.Objects;

/**
 * A request that cannot become a Spark Connect plan. {@code pointer} is the JSON Pointer
 * (RFC 6901) of the offending value in the request body, e.g. {@code /parameters/since}.
 */
public final class PlanException extends InvalidRequestException {

    public PlanException(String pointer, String message) {
        super(message, Objects.requireNonNull(pointer, "pointer is null"));
    }

    /** Escapes one reference token per RFC 6901. */
    public static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
