package dev.sparkgateway.observe;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1), now::get);

    @Test
    void oneLinePerKindPerWindowAndTheNextSaysHowManyWereLeftOut() {
        assertEquals(0, throttle.admit("spark-internal"));
        for (int i = 0; i < 999; i++) {
            assertEquals(-1, throttle.admit("spark-internal"));
        }
        assertEquals(0, throttle.admit("spark-unavailable"), "another kind has its own window");
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals(-1, throttle.admit("spark-internal"));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(1000, throttle.admit("spark-internal"));
        assertEquals(-1, throttle.admit("spark-internal"));
    }
}
