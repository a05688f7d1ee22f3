package dev.sparkgateway.session;

/**
 * The Spark Connect server does not load the gateway's SQL policy extension, so a restricted
 * session cannot be made safe: the request is refused instead of running unrestricted.
 */
public final class PolicyUnavailableException extends RuntimeException {

    PolicyUnavailableException(String message) {
        super(message);
    }
}
