package dev.sparkgateway.query;

import dev.sparkgateway.connect.Execution;
import dev.sparkgateway.error.ClientGoneException;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.error.StoppedException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops a statement's current Spark operation from outside: when the HTTP client disconnects
 * (at any point, also while Spark has not answered yet) or when the statement's time is up.
 */
public final class Cancellation implements AutoCloseable {

    private volatile Execution current;
    private volatile boolean cancelled;
    private volatile Duration expiredAfter;
    private volatile String expiredSetting;
    private Runnable onClose;
    private volatile boolean clientLeft;
    private ScheduledFuture<?> timer;

    /** Cancels the statement, now or as soon as it starts. Safe from any thread, never blocks. */
    public void cancel() {
        cancelled = true;
        Execution e = current;
        if (e != null) {
            e.cancel();
        }
    }

    /** The HTTP client disconnected: cancel, and report it as such rather than as a Spark failure. */
    public void clientLeft() {
        clientLeft = true;
        cancel();
    }

    /** Runs {@code release} once, when this closes (e.g. gives back a principal's running-query slot). */
    public synchronized void onClose(Runnable release) {
        Runnable before = onClose;
        onClose = before == null ? release : () -> {
            before.run();
            release.run();
        };
    }

    /** Cancels after {@code limit}; {@code setting} names the limit in the error (e.g. gateway.query.timeout). */
    synchronized void startTimer(Optional<Duration> limit, String setting, ScheduledExecutorService scheduler) {
        limit.ifPresent(d -> timer = scheduler.schedule(() -> {
            expiredSetting = setting;
            expiredAfter = d;
            cancel();
        }, d.toMillis(), TimeUnit.MILLISECONDS));
    }

    Execution watch(Execution execution) {
        current = execution;
        if (cancelled) {
            execution.cancel();
        }
        return execution;
    }

    /** The error to report: a timeout if time ran out, the client's leaving if it left, else the original. */
    RuntimeException translate(RuntimeException error) {
        if (!isCancel(error)) {
            return error;
        }
        if (clientLeft) {
            return new ClientGoneException(error);
        }
        Duration limit = expiredAfter;
        if (limit != null) {
            return StoppedException.timedOut("The statement ran longer than "
                    + expiredSetting + " (" + limit + ") and was cancelled", error);
        }
        return error;
    }

    /** The gateway cancelled the call, or Spark says its operation was cancelled. */
    private static boolean isCancel(RuntimeException error) {
        return error instanceof StoppedException stopped && stopped.reason() == StoppedException.Reason.CANCELLED
                || error instanceof SparkException spark && spark.isCancelled();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.cancel(false);
        }
        Runnable release = onClose;
        onClose = null;
        if (release != null) {
            release.run();
        }
    }
}
