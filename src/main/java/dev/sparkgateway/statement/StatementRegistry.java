package dev.sparkgateway.statement;

import dev.sparkgateway.connect.SparkException;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.query.RunOptions;
import dev.sparkgateway.result.ResultEncoder;
import dev.sparkgateway.result.ResultFormats;
import io.grpc.Status;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * All asynchronous statements of this gateway process, in memory only: a restart forgets them
 * (their ids then answer 404). Runs each statement on its own thread, bounded by
 * {@code max-running}; a reaper cancels abandoned statements and drops expired ones.
 */
@ApplicationScoped
public class StatementRegistry {

    private static final Logger LOG = Logger.getLogger(StatementRegistry.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final StatementConfig config;
    private final ResultEncoder arrow;
    private final Spool spool;
    private final Map<UUID, Statement> statements = new ConcurrentHashMap<>();
    private final Map<String, Statement> byKey = new ConcurrentHashMap<>();
    private final Semaphore running;
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("statement-runner"));
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(daemon("statement-reaper"));

    public StatementRegistry(StatementConfig config, ResultFormats formats) {
        this.config = config;
        this.arrow = formats.byName("arrow").orElseThrow();
        this.running = new Semaphore(config.maxRunning());
        Path parent = config.spoolDir().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "spark-gateway-spool"));
        this.spool = new Spool(parent, config.spoolMaxSize().asLongValue());
        reaper.scheduleWithFixedDelay(this::reap, 1, 1, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        reaper.shutdownNow();
        statements.values().forEach(s -> s.cancel(null));
        workers.shutdownNow();
        spool.deleteAll();
    }

    /**
     * Starts a statement, or returns the one already started under {@code idempotencyKey}.
     * Throws TOO_MANY when the bounds are reached, IDEMPOTENCY_CONFLICT when the key names another request.
     */
    public synchronized Statement submit(Optional<String> idempotencyKey, StatementTask task) {
        if (idempotencyKey.isPresent()) {
            Statement existing = byKey.get(idempotencyKey.get());
            if (existing != null) {
                if (!existing.fingerprint().equals(task.fingerprint())) {
                    throw new StatementException(StatementException.Kind.IDEMPOTENCY_CONFLICT, "Idempotency-Key '"
                            + idempotencyKey.get() + "' was used for a different request (statement " + existing.id() + ")");
                }
                existing.touch();
                return existing;
            }
        }
        if (statements.size() >= config.maxStored()) {
            throw new StatementException(StatementException.Kind.TOO_MANY, "The gateway already holds "
                    + statements.size() + " statements (gateway.statements.max-stored); DELETE finished ones or wait"
                    + " for their result TTL", RETRY_AFTER);
        }
        if (!running.tryAcquire()) {
            throw new StatementException(StatementException.Kind.TOO_MANY, config.maxRunning()
                    + " statements are running (gateway.statements.max-running); try again later", RETRY_AFTER);
        }
        UUID id = UUID.randomUUID();
        Statement statement = new Statement(id, task.fingerprint(), spool.directory(id));
        statements.put(id, statement);
        idempotencyKey.ifPresent(key -> byKey.put(key, statement));
        try {
            workers.execute(() -> run(statement, task));
        } catch (RuntimeException e) {
            running.release();
            remove(statement);
            throw e;
        }
        return statement;
    }

    private void run(Statement statement, StatementTask task) {
        try {
            if (!statement.start()) {
                return;
            }
            // Reattachable: the server cuts long streams (2 min / 1 GiB) and this resumes them.
            RunOptions options = new RunOptions(task.limit(), true, List.of("gateway-statement-" + statement.id()),
                    statement::progress, false);
            try (QueryResult result = task.run().apply(options, statement.cancellation())) {
                statement.schema(result.columns(), result.operationId());
                new ChunkWriter(result, statement, spool, arrow, config.chunkSize().asLongValue()).writeAll();
                statement.succeed(result.truncated());
            }
        } catch (IOException e) {
            statement.fail(new UncheckedIOException("Writing the result spool failed: " + e.getMessage(), e));
        } catch (RuntimeException | Error e) {
            if (statement.state() == StatementState.RUNNING) {
                // Its problem+json goes to whoever polls; the log keeps the stack of unexpected ones.
                LOG.infof(e instanceof SparkException ? null : e, "statement %s failed: %s", statement.id(), e.getMessage());
            }
            statement.fail(e);
        } finally {
            running.release();
            if (statement.state() != StatementState.SUCCEEDED) {
                // Failed, cancelled or closed meanwhile: nothing left to fetch.
                spool.delete(statement.id());
            }
        }
    }

    /** The statement, touched (it is not abandoned); NOT_FOUND for unknown or malformed ids. */
    public Statement get(String id) {
        Statement statement = null;
        try {
            statement = statements.get(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            // Not a UUID: unknown as well.
        }
        if (statement == null) {
            throw new StatementException(StatementException.Kind.NOT_FOUND, "No statement " + id
                    + ": it never existed, its result TTL passed, or the gateway restarted since (statements live in"
                    + " the gateway's memory only)");
        }
        statement.touch();
        return statement;
    }

    /** Waits for the statement to end, at most {@code timeout}. */
    public StatementView awaitEnd(Statement statement, Duration timeout) {
        return await(statement, -1, true, timeout);
    }

    /** Waits for any change after version {@code seen}, at most {@code timeout}. */
    public StatementView awaitChange(Statement statement, long seen, Duration timeout) {
        return await(statement, seen, false, timeout);
    }

    private static StatementView await(Statement statement, long seen, boolean untilEnd, Duration timeout) {
        try {
            return statement.await(seen, untilEnd, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return statement.view();
        }
    }

    /** Cancels a running statement (interrupting its Spark operation); {@code reason} becomes its error. */
    public StatementView cancel(Statement statement, String reason) {
        statement.cancel(reason == null ? null : new SparkException(Status.Code.CANCELLED, reason, Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), null));
        return statement.view();
    }

    /** DELETE: cancels a running statement, or closes a finished one and deletes its result. */
    public StatementView close(Statement statement) {
        if (statement.close()) {
            spool.delete(statement.id());
            return statement.view();
        }
        return cancel(statement, null);
    }

    /** Opens chunk {@code index} for reading. */
    public SpooledChunk chunk(Statement statement, int index) {
        StatementView view = statement.view();
        ChunkInfo info = statement.chunkInfo(index);
        if (info == null || view.state() == StatementState.CLOSED || view.state() == StatementState.FAILED
                || view.state() == StatementState.CANCELED) {
            throw noChunk(view, index);
        }
        boolean last = view.state() == StatementState.SUCCEEDED && index == view.chunks().size() - 1;
        try {
            return SpooledChunk.open(ChunkWriter.file(statement.directory(), index), view.columns(), info,
                    last && view.truncated());
        } catch (IOException e) {
            // Closed (or expired) between the check and the open.
            throw noChunk(statement.view(), index);
        }
    }

    private static StatementException noChunk(StatementView view, int index) {
        return switch (view.state()) {
            case PENDING, RUNNING -> new StatementException(StatementException.Kind.RESULT_UNAVAILABLE, "Chunk " + index
                    + " is not spooled yet; the statement is " + view.state() + " with " + view.chunks().size()
                    + " chunk(s) so far", RETRY_AFTER);
            case SUCCEEDED -> new StatementException(StatementException.Kind.NOT_FOUND, "No chunk " + index
                    + "; the result has chunks 0.." + (view.chunks().size() - 1));
            default -> new StatementException(StatementException.Kind.RESULT_UNAVAILABLE, "The statement is "
                    + view.state() + "; it has no result to fetch");
        };
    }

    /** Statements by state, for metrics. */
    public Map<StatementState, Long> counts() {
        Map<StatementState, Long> counts = new EnumMap<>(StatementState.class);
        for (StatementState s : StatementState.values()) {
            counts.put(s, 0L);
        }
        statements.values().forEach(s -> counts.merge(s.state(), 1L, Long::sum));
        return counts;
    }

    /** Bytes the spool holds now. */
    public long spoolBytes() {
        return spool.used();
    }

    private void reap() {
        try {
            for (Statement s : statements.values()) {
                StatementState state = s.state();
                if (!state.isTerminal() && s.idle().compareTo(config.abandonedTimeout()) > 0) {
                    LOG.infof("statement %s abandoned: nobody polled it for %s", s.id(), config.abandonedTimeout());
                    cancel(s, "Nobody polled the statement for " + config.abandonedTimeout()
                            + " (gateway.statements.abandoned-timeout), so it was cancelled");
                } else if (s.endedBefore(config.resultTtl())) {
                    remove(s);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "statement reaper failed");
        }
    }

    private synchronized void remove(Statement statement) {
        statements.remove(statement.id());
        byKey.values().remove(statement);
        spool.delete(statement.id());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
