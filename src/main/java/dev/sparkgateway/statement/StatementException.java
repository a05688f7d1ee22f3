package dev.sparkgateway.statement;

import java.time.Duration;
import java.util.Optional;

/** A request about statements that cannot be served; {@link Kind} decides the HTTP status. */
public final class StatementException extends RuntimeException {

    public enum Kind {
        /** Unknown id: never existed, deleted, expired, evicted, or from before a gateway restart. */
        NOT_FOUND,
        /** {@code max-running} statements run (finished ones never refuse a submit). */
        TOO_MANY,
        /** The result (or this chunk of it) does not exist (yet, or any more). */
        RESULT_UNAVAILABLE,
        /** An Idempotency-Key reused with a different request. */
        IDEMPOTENCY_CONFLICT,
        /** The result would not fit into the spool. */
        SPOOL_FULL
    }

    private final Kind kind;
    private final Duration retryAfter;

    StatementException(Kind kind, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    StatementException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
