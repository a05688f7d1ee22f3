package dev.sparkgateway.error;

import java.util.Objects;

/**
 * Something the gateway needs is missing, through no fault of the caller (503). Spark Connect
 * itself being unreachable is a {@link SparkException} (what the transport said).
 */
public final class UnavailableException extends GatewayException {

    public enum Reason {
        /** Spark does not load the gateway's SQL policy extension, so restricted sessions cannot run. */
        SPARK_POLICY,
        /** The token issuer's discovery document or keys cannot be had. */
        ISSUER,
        /** The gateway replica running a statement died or shut down before it finished. */
        INSTANCE_LOST
    }

    public UnavailableException(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason is null"), message, null, null);
    }

    public Reason reason() {
        return (Reason) kind();
    }
}
