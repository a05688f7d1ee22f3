package dev.sparkgateway.statement;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.error.InternalException;
import dev.sparkgateway.observe.RequestLog;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.query.RunOptions;
import dev.sparkgateway.result.ResultEncoder;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Runs statements, each on its own thread, at most {@code max-running} at once, and spools their
 * results. A place is reserved before a statement is held, so a refused submit leaves nothing behind.
 */
final class StatementRunner {

    private static final Logger LOG = Logger.getLogger(StatementRunner.class);

    private final Semaphore places;
    private final RetryEstimate retryEstimate = new RetryEstimate();
    private final ExecutorService workers = Executors.newCachedThreadPool(
            new ThreadFactoryBuilder().setNameFormat("statement-runner-%d").setDaemon(true).build());
    private final Spool spool;
    private final ResultEncoder arrow;
    private final long chunkBytes;

    StatementRunner(int maxRunning, Spool spool, ResultEncoder arrow, long chunkBytes) {
        this.places = new Semaphore(maxRunning);
        this.spool = spool;
        this.arrow = arrow;
        this.chunkBytes = chunkBytes;
    }

    /** Takes a place for one statement; false when {@code max-running} run. */
    boolean reserve() {
        return places.tryAcquire();
    }

    /** Gives back a place {@link #reserve reserved} but not used. */
    void unreserve() {
        places.release();
    }

    /** Runs the statement in the place reserved for it; if it cannot start, the place is given back. */
    void start(Statement statement, StatementTask task) {
        try {
            workers.execute(() -> run(statement, task));
        } catch (RuntimeException e) {
            places.release();
            throw e;
        }
    }

    /** The Retry-After of a refused submit, when the longest-running statement has run {@code longest}. */
    Duration retryAfter(Duration longest) {
        return retryEstimate.retryAfter(longest);
    }

    /** How long recent statements ran, on average. */
    Duration meanRun() {
        return retryEstimate.mean();
    }

    void stop() {
        workers.shutdownNow();
    }

    private void run(Statement statement, StatementTask task) {
        try {
            if (!statement.start()) {
                return;
            }
            // Reattachable: the server cuts long streams (2 min / 1 GiB) and this resumes them.
            RunOptions options = new RunOptions(task.scope(), task.limit(), true, List.of("gateway-statement-" + statement.id()),
                    statement::progress, statement::operation, false, task.quota().limits());
            try (QueryResult result = task.run().apply(options, statement.cancellation())) {
                statement.schema(result.columns(), result.operationId());
                new ChunkWriter(result, statement, spool, arrow, chunkBytes).writeAll();
                statement.succeed(result.truncated());
            }
        } catch (IOException e) {
            LOG.infof(e, "statement %s failed writing its result spool: %s", statement.id(), e.getMessage());
            statement.fail(unexpected());
        } catch (RuntimeException | Error e) {
            statement.fail(failure(statement, e));
        } finally {
            StatementView ended = statement.view();
            retryEstimate.ended(ended.elapsed());
            RequestLog.statement(ended.id().toString(), ended.state().name(), ended.rowCount(), ended.byteCount(),
                    ended.elapsed(), ended.operationId(), task.audit());
            places.release();
            if (ended.state() != StatementState.SUCCEEDED) {
                // Failed, cancelled or closed meanwhile: nothing left to fetch.
                spool.delete(statement.id());
            }
        }
    }

    /**
     * The failure as the gateway reports it. A failure the gateway knows (Spark rejecting the
     * statement, a quota's timeout, a cancel, an empty text) is the client's business, and a flood
     * of them must not flood the log: the statement's request line already records how it ended.
     * Only an unexpected failure (a bug) is logged with its stack.
     */
    private static GatewayException failure(Statement statement, Throwable thrown) {
        Throwable e = thrown;
        while ((e instanceof CompletionException || e instanceof UncheckedIOException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (statement.state() == StatementState.RUNNING) {
            if (e instanceof GatewayException) {
                LOG.debugf("statement %s failed: %s", statement.id(), e.getMessage());
            } else {
                LOG.infof(thrown, "statement %s failed: %s", statement.id(), thrown.getMessage());
            }
        }
        return e instanceof GatewayException known ? known : unexpected();
    }

    /** What the caller learns of a gateway fault: the log has the rest. */
    private static GatewayException unexpected() {
        return InternalException.ofGateway("The gateway failed unexpectedly; the log has the details");
    }
}
