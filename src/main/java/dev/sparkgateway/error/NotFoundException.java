package dev.sparkgateway.error;

/**
 * No such thing, or not the caller's: another principal's statement gets the very answer of an id
 * that never existed, so ids reveal nothing.
 */
public final class NotFoundException extends GatewayException {

    public NotFoundException(String message) {
        super(null, message, null, null);
    }
}
