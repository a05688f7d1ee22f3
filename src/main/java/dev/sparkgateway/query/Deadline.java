package dev.sparkgateway.query;

import dev.sparkgateway.connect.Execution;
import dev.sparkgateway.connect.SparkException;
import io.grpc.Status;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Interrupts whatever Spark operation a statement is running when its time is up. */
final class Deadline implements AutoCloseable {

    private final Duration limit;
    private final ScheduledFuture<?> timer;
    private volatile Execution current;
    private volatile boolean expired;

    private Deadline(Duration limit, ScheduledExecutorService scheduler) {
        this.limit = limit;
        this.timer = limit == null ? null : scheduler.schedule(this::expire, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Deadline of(Optional<Duration> limit, ScheduledExecutorService scheduler) {
        return new Deadline(limit.orElse(null), scheduler);
    }

    Execution watch(Execution execution) {
        current = execution;
        if (expired) {
            execution.cancel();
        }
        return execution;
    }

    private void expire() {
        expired = true;
        Execution e = current;
        if (e != null) {
            e.cancel();
        }
    }

    /** The error to report: a timeout if we cancelled because time ran out, else the original. */
    RuntimeException translate(RuntimeException error) {
        if (expired && error instanceof SparkException spark && spark.isCancelled()) {
            return new SparkException(Status.Code.DEADLINE_EXCEEDED, "The statement ran longer than gateway.query.timeout ("
                    + limit + ") and was cancelled", Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), error);
        }
        return error;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
