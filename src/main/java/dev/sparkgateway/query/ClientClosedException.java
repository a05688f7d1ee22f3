package dev.sparkgateway.query;

/** The HTTP client went away before its statement finished; the Spark operation was interrupted. */
public final class ClientClosedException extends RuntimeException {

    public ClientClosedException(Throwable cause) {
        super("The client closed the connection; the Spark operation was interrupted", cause);
    }
}
