package dev.sparkgateway.quota;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token bucket and the per-principal limiter, on a clock the test moves. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void burstThenRateAndTheWaitUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(2, 3, 0);
        assertEquals(0, bucket.take(0));
        assertEquals(0, bucket.take(0));
        assertEquals(0, bucket.take(0));
        // Empty: one token comes every half second.
        assertEquals(SECOND / 2, bucket.take(0));
        assertEquals(SECOND / 4, bucket.take(SECOND / 4));
        assertEquals(0, bucket.take(SECOND / 2));
        assertEquals(SECOND / 2, bucket.take(SECOND / 2));
    }

    @Test
    void refillStopsAtTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, 0);
        assertTrue(bucket.full(100 * SECOND));
        assertEquals(0, bucket.take(100 * SECOND));
        assertEquals(0, bucket.take(100 * SECOND));
        assertTrue(bucket.take(100 * SECOND) > 0, "only 2 tokens however long it was idle");
    }

    @Test
    void aSlowRateWaitsLong() {
        TokenBucket bucket = new TokenBucket(0.1, 1, 0);
        assertEquals(0, bucket.take(0));
        assertEquals(10 * SECOND, bucket.take(0));
    }

    @Test
    void principalsHaveTheirOwnBuckets() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(now::get);
        assertEquals(0, limiter.acquire("alice", 1, 1));
        assertTrue(limiter.acquire("alice", 1, 1) > 0);
        assertEquals(0, limiter.acquire("bob", 1, 1), "alice's empty bucket is not bob's");
        now.addAndGet(SECOND);
        assertEquals(0, limiter.acquire("alice", 1, 1));
    }

    @Test
    void newLimitsTakeEffectAtOnce() {
        RateLimiter limiter = new RateLimiter(() -> 0);
        assertEquals(0, limiter.acquire("alice", 1, 1));
        assertTrue(limiter.acquire("alice", 1, 1) > 0);
        // Its roles changed (keys file reloaded): a fresh bucket with the new size.
        assertEquals(0, limiter.acquire("alice", 1, 5));
    }

    @Test
    void bucketsOfPrincipalsGoneQuietAreDropped() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(now::get);
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("principal-" + i, 10, 20);
        }
        assertEquals(1000, limiter.size());
        now.addAndGet(31 * SECOND);
        limiter.acquire("alice", 10, 20);
        assertEquals(1, limiter.size(), "the refilled buckets are gone, the new one stays");
    }

    @Test
    void aBucketStillRefillingSurvivesTheSweep() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(now::get);
        for (int i = 0; i < 5; i++) {
            limiter.acquire("slow", 0.01, 5);
        }
        now.addAndGet(31 * SECOND);
        limiter.acquire("other", 1, 1);
        assertEquals(2, limiter.size());
        assertTrue(limiter.acquire("slow", 0.01, 5) > 0, "only 0.31 tokens refilled: its limit is remembered");
    }
}
