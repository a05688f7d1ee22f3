package dev.sparkgateway.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One token bucket per principal. Buckets that have filled up again are dropped on a periodic
 * sweep (a full bucket is the same as a new one), so memory follows the principals active lately.
 */
final class RateLimiter {

    private static final long SWEEP_EVERY = TimeUnit.SECONDS.toNanos(30);

    private final LongSupplier clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    /** {@code clock}: nanoseconds of a monotonic clock ({@code System::nanoTime}). */
    RateLimiter(LongSupplier clock) {
        this.clock = clock;
        this.nextSweep = clock.getAsLong() + SWEEP_EVERY;
    }

    /** Takes one of {@code principal}'s tokens: 0 if it may proceed, else the nanoseconds until it may. */
    long acquire(String principal, double rate, int burst) {
        long now = clock.getAsLong();
        if (now - nextSweep >= 0) {
            nextSweep = now + SWEEP_EVERY;
            buckets.values().removeIf(b -> b.full(now));
        }
        TokenBucket bucket = buckets.compute(principal, (name, existing) ->
                existing != null && existing.sameLimits(rate, burst) ? existing : new TokenBucket(rate, burst, now));
        return bucket.take(now);
    }

    int size() {
        return buckets.size();
    }
}
