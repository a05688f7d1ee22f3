package dev.sparkgateway.quota;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code rate} per second; each
 * request takes one. Time comes from the caller (nanoseconds of a monotonic clock), so it tests
 * without sleeping.
 */
final class TokenBucket {

    private static final double NANOS = 1e9;

    private final double rate;
    private final int capacity;
    private double tokens;
    private long last;

    TokenBucket(double rate, int capacity, long now) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive, got " + rate);
        }
        this.rate = rate;
        this.capacity = Math.max(1, capacity);
        this.tokens = this.capacity;
        this.last = now;
    }

    /** Takes a token: 0 if there was one, else the nanoseconds until there will be (nothing taken). */
    synchronized long take(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / rate * NANOS));
    }

    /** Full again: it then says nothing a new bucket would not, so it can be dropped. */
    synchronized boolean full(long now) {
        refill(now);
        return tokens >= capacity;
    }

    boolean sameLimits(double rate, int capacity) {
        return this.rate == rate && this.capacity == Math.max(1, capacity);
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * rate / NANOS);
            last = now;
        }
    }
}
