package dev.sparkgateway.quota;

import java.time.Duration;
import java.util.Objects;

/** A principal went past its own quota (429); other principals are not affected. */
public final class QuotaExceededException extends RuntimeException {

    public enum Kind {
        /** More requests than {@code requests-per-second} and {@code burst} allow. */
        RATE,
        /** Too many of its queries running at once. */
        RUNNING
    }

    private final Kind kind;
    private final Duration retryAfter;

    public QuotaExceededException(Kind kind, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind is null");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter is null");
    }

    public Kind kind() {
        return kind;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, rounded up, at least 1: what Retry-After says. */
    public long retryAfterSeconds() {
        long seconds = (retryAfter.toMillis() + 999) / 1000;
        return Math.max(1, seconds);
    }
}
