package dev.sparkgateway.statement;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Retry-After of a 429: recent run times against the longest-running statement's age. */
class StatementRetryEstimateTest {

    @Test
    void followsRecentRunTimesWithinBounds() {
        RetryEstimate estimate = new RetryEstimate();
        assertEquals(Duration.ofSeconds(1), estimate.retryAfter(Duration.ofSeconds(5)), "no history: a second");
        estimate.ended(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(7), estimate.retryAfter(Duration.ofMillis(3500)), "rounded up");
        assertEquals(Duration.ofSeconds(1), estimate.retryAfter(Duration.ofSeconds(20)), "overdue: soon");
        estimate.ended(Duration.ofSeconds(20));
        assertEquals(Duration.ofSeconds(12), estimate.mean());
        estimate.ended(Duration.ofHours(1));
        assertEquals(Duration.ofSeconds(60), estimate.retryAfter(Duration.ZERO), "at most a minute");
    }
}
