package dev.sparkgateway.statement;

import java.time.Duration;

/**
 * The {@code Retry-After} of a submit refused because {@code max-running} statements run: when
 * the first of them should end, judging by how long recent statements ran (an exponentially
 * weighted mean) against how long the longest-running one has run already. Only a guess, as no
 * one knows when a query ends, so it stays between {@link #MIN} and {@link #MAX}.
 */
final class RetryEstimate {

    static final Duration MIN = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);
    /** Weight of the latest run: the mean follows a change of workload within about ten statements. */
    private static final double WEIGHT = 0.2;

    private double meanNanos = -1;

    /** A statement ended after running {@code ran}. */
    synchronized void ended(Duration ran) {
        long nanos = ran.toNanos();
        meanNanos = meanNanos < 0 ? nanos : meanNanos + WEIGHT * (nanos - meanNanos);
    }

    /** Whole seconds until the longest-running statement (running for {@code longest}) should end. */
    synchronized Duration retryAfter(Duration longest) {
        if (meanNanos < 0) {
            return MIN;
        }
        long left = (long) meanNanos - longest.toNanos();
        long seconds = (left + 999_999_999L) / 1_000_000_000L;
        return Duration.ofSeconds(Math.max(MIN.toSeconds(), Math.min(MAX.toSeconds(), seconds)));
    }

    /** The mean run time so far, for messages; zero before any statement ended. */
    synchronized Duration mean() {
        return Duration.ofNanos((long) Math.max(0, meanNanos));
    }
}
