package dev.sparkgateway.error;

import java.util.Objects;

/** A fault that is nobody's request: a gateway bug (500), or Spark breaking the protocol (502). */
public final class InternalException extends GatewayException {

    public enum Origin {
        GATEWAY,
        /** Spark Connect answered something the protocol does not allow (a broken server or proxy). */
        SPARK
    }

    private final Origin origin;

    public InternalException(Origin origin, String message) {
        super(message, null, null);
        this.origin = Objects.requireNonNull(origin, "origin is null");
    }

    public Origin origin() {
        return origin;
    }
}
