package dev.sparkgateway.error;

/** A fault that is nobody's request: a gateway bug (500), or Spark breaking the protocol (502). */
public final class InternalException extends GatewayException {

    public enum Origin {
        GATEWAY,
        /** Spark Connect answered something the protocol does not allow (a broken server or proxy). */
        SPARK
    }

    private InternalException(Origin origin, String message) {
        super(origin, message, null, null);
    }

    public static InternalException ofGateway(String message) {
        return new InternalException(Origin.GATEWAY, message);
    }

    /** Spark Connect's answer broke the protocol. */
    public static InternalException ofSpark(String message) {
        return new InternalException(Origin.SPARK, message);
    }

    public Origin origin() {
        return (Origin) kind();
    }
}
