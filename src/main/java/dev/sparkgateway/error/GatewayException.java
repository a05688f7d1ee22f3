package dev.sparkgateway.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure the gateway reports to its caller. Each subclass is one kind of answer (invalid,
 * denied, not found, conflict, limit, unavailable, stopped, client gone, Spark's own error,
 * internal); its {@code Reason}, where it has one, picks the exact problem type.
 */
public abstract sealed class GatewayException extends RuntimeException
        permits InvalidRequestException, DeniedException, NotFoundException, ConflictException,
        LimitExceededException, UnavailableException, StoppedException, ClientGoneException, SparkException,
        InternalException {

    private final Enum<?> reason;
    private final Duration retryAfter;

    /** @param reason the subclass's {@code Reason} constant, or null for a subclass with one kind only */
    GatewayException(Enum<?> reason, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /** The subclass's {@code Reason}; each subclass with one exposes it typed as {@code reason()}. */
    final Enum<?> kind() {
        return reason;
    }

    /** How long the caller should wait before trying again, for failures worth retrying. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** {@link #retryAfter()} in whole seconds as Retry-After says it: rounded up, at least 1. */
    public Optional<Long> retryAfterSeconds() {
        return retryAfter().map(d -> Math.max(1, (d.toMillis() + 999) / 1000));
    }
}
