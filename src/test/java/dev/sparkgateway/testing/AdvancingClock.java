package dev.sparkgateway.testing;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real UTC time plus however far a test moved it forward, in place of the statements' wall
 * clock ({@code statement/StatementClock}) for a test profile that enables it
 * ({@code QuarkusTestProfile.getEnabledAlternatives}): a result TTL or an abandoned-timeout then
 * passes when the test says so instead of after real time, and everything else still sees time go on.
 */
@Alternative
@Singleton
public class AdvancingClock extends Clock {

    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    /** Moves the clock forward by {@code by}; returns the new instant. */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward: " + by);
        }
        return Instant.now().plus(ahead.updateAndGet(d -> d.plus(by)));
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!zone.equals(ZoneOffset.UTC)) {
            throw new UnsupportedOperationException("statements keep UTC only");
        }
        return this;
    }
}
