package dev.sparkgateway.connect;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When the sweeps after an interrupt go out. */
class OrphanSweepsTest {

    private static Optional<Duration> seconds(long s) {
        return Optional.of(Duration.ofSeconds(s));
    }

    @Test
    void firstSweepGoesOutASecondAfterTheInterrupt() {
        assertEquals(seconds(1), OrphanSweeps.next(0, 0, Duration.ZERO));
    }

    @Test
    void whileSparkStillHasTheOperationSweepsBackOffToFourSeconds() {
        assertEquals(seconds(1), OrphanSweeps.next(0, 1, Duration.ofSeconds(1)));
        assertEquals(seconds(2), OrphanSweeps.next(0, 2, Duration.ofSeconds(2)));
        assertEquals(seconds(4), OrphanSweeps.next(0, 3, Duration.ofSeconds(4)));
        assertEquals(seconds(4), OrphanSweeps.next(0, 4, Duration.ofSeconds(8)));
        assertEquals(seconds(4), OrphanSweeps.next(0, 40, Duration.ofSeconds(100)));
    }

    @Test
    void anOperationThatOutlivesItsInterruptByTwoMinutesIsLeftAlone() {
        assertEquals(Optional.empty(), OrphanSweeps.next(0, 30, Duration.ofMinutes(2)));
    }

    @Test
    void onceTheOperationIsGoneTwoMoreSweepsCatchJobsSubmittedLate() {
        assertEquals(seconds(2), OrphanSweeps.next(1, 0, Duration.ofSeconds(1)));
        assertEquals(seconds(5), OrphanSweeps.next(2, 0, Duration.ofSeconds(3)));
        assertEquals(Optional.empty(), OrphanSweeps.next(3, 0, Duration.ofSeconds(8)));
        assertEquals(seconds(2), OrphanSweeps.next(1, 5, Duration.ofSeconds(20)));
    }
}
