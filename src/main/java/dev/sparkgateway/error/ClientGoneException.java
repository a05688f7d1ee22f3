package dev.sparkgateway.error;

/**
 * The HTTP client went away before its statement finished, and its Spark operation was interrupted.
 * Never sent to anyone; recorded as 499 in logs and metrics.
 */
public final class ClientGoneException extends GatewayException {

    public ClientGoneException(Throwable cause) {
        super(null, "The client closed the connection; the Spark operation was interrupted", cause, null);
    }
}
