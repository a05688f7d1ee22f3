package dev.sparkgateway.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one line per kind through per window and counts the rest, so a caller repeating one failing
 * request cannot flood the log: the next line of that kind says how many were left out. Kinds are
 * problem types and exception classes, a bounded set, so the map stays small.
 */
public final class LogThrottle {

    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LogThrottle(Duration window) {
        this(window, System::nanoTime);
    }

    LogThrottle(Duration window, LongSupplier clock) {
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    /**
     * Returns -1 when this line must be left out, else how many of its kind were left out since the
     * last one logged (0 for the first).
     */
    public long admit(String kind) {
        long now = clock.getAsLong();
        Window w = windows.computeIfAbsent(kind, k -> new Window(now - windowNanos));
        synchronized (w) {
            if (now - w.openedAt < windowNanos) {
                w.suppressed.incrementAndGet();
                return -1;
            }
            w.openedAt = now;
            return w.suppressed.getAndSet(0);
        }
    }

    private static final class Window {
        private long openedAt;
        private final AtomicLong suppressed = new AtomicLong();

        Window(long openedAt) {
            this.openedAt = openedAt;
        }
    }
}
