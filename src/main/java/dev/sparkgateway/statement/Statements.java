package dev.sparkgateway.statement;

import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.error.LimitExceededException;
import dev.sparkgateway.error.StoppedException;
import dev.sparkgateway.query.SparkOperation;
import dev.sparkgateway.result.ResultFormats;
import dev.sparkgateway.statement.StatementStore.Removal;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The asynchronous statements of this gateway, as the API uses them: submit, look up, wait,
 * cancel, close, read chunks. They are held by the {@link StatementStore}, run by the
 * {@link StatementRunner} (only those running or pending can refuse a submit), and reaped by the
 * {@link StatementReaper}. Finished ones make room for new ones, oldest first, once
 * {@code max-stored} are held. Just over 300 lines: the API's one entry to statements, each
 * method a few lines over the store, runner and spool.
 */
// Eager, so the spool left by a dead gateway is cleaned up at start, not at the first statement.
@Startup
@ApplicationScoped
public class Statements {

    private static final Logger LOG = Logger.getLogger(Statements.class);

    private final StatementConfig config;
    private final StatementStore store;
    private final Spool spool;
    private final StatementRunner runner;
    private final StatementReaper reaper;
    private final Clock clock;

    public Statements(StatementConfig config, ResultFormats formats, InjectableInstance<AgroalDataSource> dataSource,
            SparkConnectClient spark, Clock clock) {
        this.config = config;
        this.clock = clock;
        if (config.store() == StatementConfig.Store.POSTGRESQL) {
            Path shared = config.spoolDir().orElseThrow(() -> new IllegalStateException("gateway.statements.store=postgresql"
                    + " needs gateway.statements.spool-dir: a directory every gateway replica shares (a ReadWriteMany volume)"));
            List<AgroalDataSource> active = dataSource.listActive();
            if (active.isEmpty()) {
                throw new IllegalStateException("gateway.statements.store=postgresql needs quarkus.datasource.jdbc.url"
                        + " (and quarkus.datasource.username/password): the PostgreSQL database the replicas share");
            }
            this.spool = Spool.shared(shared, config.spoolMaxSize().asLongValue());
            this.store = new PostgresStatementStore(active.get(0), spool, config, op -> interrupt(spark, op));
        } else {
            Path parent = config.spoolDir().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "spark-gateway-spool"));
            // A lockless directory may be a live older gateway's: it deletes its results within the TTL.
            this.spool = new Spool(parent, config.spoolMaxSize().asLongValue(), config.resultTtl().plusMinutes(1));
            this.store = new InMemoryStatementStore(clock);
        }
        this.runner = new StatementRunner(config.maxRunning(), spool, formats.byName("arrow").orElseThrow(),
                config.chunkSize().asLongValue());
        this.reaper = new StatementReaper(store, config.abandonedTimeout(), config.resultTtl(), s -> remove(s, Removal.EXPIRED));
        reaper.start();
    }

    /** Interrupts an operation of a statement whose replica may be gone: best effort, logged. */
    private static void interrupt(SparkConnectClient spark, SparkOperation op) {
        try {
            spark.interrupt(op.session(), op.operationId());
        } catch (RuntimeException e) {
            LOG.infof("could not interrupt Spark operation %s: %s", op.operationId(), e.getMessage());
        }
    }

    // Before the session pool's own stop (default priority): running statements still have their sessions.
    void stop(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) ShutdownEvent event) {
        reaper.stop();
        List<Statement> running = store.local().stream().filter(s -> !s.ended()).toList();
        if (spool.isShared() && !running.isEmpty()) {
            // Their results outlive this process: let them finish within the grace period.
            LOG.infof("Shutting down: waiting up to %s (gateway.statements.shutdown-grace) for %d running statement(s)",
                    config.shutdownGrace(), running.size());
            CompletableFuture<?>[] ends = running.stream().map(s -> s.signal(-1, true)).toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(ends).get(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Failed below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.forEach(s -> s.abort(StatementErrors.instanceStopped()));
        runner.stop();
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warnf(e, "closing the statement store failed");
            }
        }
        spool.close();
    }

    /**
     * Starts a statement, or returns the one its owner already started under {@code idempotencyKey}.
     * Makes room by evicting the oldest finished statements when {@code max-stored} are held. Throws
     * {@link LimitExceededException} when {@code max-running} statements (or the owner's quota) run,
     * a {@link dev.sparkgateway.error.ConflictException} when the key names another request.
     */
    public synchronized Statement submit(Optional<String> idempotencyKey, StatementTask task) {
        if (idempotencyKey.isPresent()) {
            Optional<Statement> existing = store.byKey(task.owner(), idempotencyKey.get());
            if (existing.isPresent()) {
                return sameRequest(existing.get(), idempotencyKey.get(), task);
            }
        }
        OptionalInt ownerMax = task.quota().maxRunning();
        if (ownerMax.isPresent()) {
            List<StatementView> owned = store.running(Optional.of(task.owner()));
            if (owned.size() >= ownerMax.getAsInt()) {
                // The owner's own quota: other principals' statements neither count nor are refused.
                throw tooMany(task.owner() + " has " + owned.size() + " statements running or pending, its quota ("
                        + task.quota().source() + ") is " + ownerMax.getAsInt(), owned);
            }
        }
        if (!runner.reserve()) {
            throw tooMany(config.maxRunning() + " statements are running (gateway.statements.max-running)",
                    store.running(Optional.empty()));
        }
        if (!makeRoom()) {
            runner.unreserve();
            throw tooMany("All " + store.size() + " statements held (gateway.statements.max-stored) are running",
                    store.running(Optional.empty()));
        }
        UUID id = UUID.randomUUID();
        Statement statement = new Statement(id, task.owner(), task.fingerprint(), clock,
                store.persistence());
        Optional<Statement> held = store.add(statement, idempotencyKey);
        if (held.isPresent()) {
            // Another replica took the key between our look-up and our insert.
            runner.unreserve();
            return sameRequest(held.get(), idempotencyKey.orElseThrow(), task);
        }
        try {
            runner.start(statement, task);
        } catch (RuntimeException e) {
            store.remove(statement, Removal.DELETED);
            throw e;
        }
        return statement;
    }

    /** The statement already held under the key, if it is the same request. */
    private static Statement sameRequest(Statement existing, String idempotencyKey, StatementTask task) {
        if (!existing.fingerprint().equals(task.fingerprint())) {
            throw StatementErrors.idempotencyConflict(idempotencyKey, existing.id());
        }
        existing.touch();
        return existing;
    }

    /** Evicts the oldest finished statements until one more fits; false if all held ones run. */
    private boolean makeRoom() {
        while (store.size() >= config.maxStored()) {
            Optional<Statement> oldest = store.oldestEnded();
            if (oldest.isEmpty()) {
                return false;
            }
            remove(oldest.get(), Removal.EVICTED);
        }
        return true;
    }

    /** A 429 whose Retry-After and hint follow from what runs now ({@code running}). */
    private LimitExceededException tooMany(String why, List<StatementView> running) {
        Duration longest = running.stream().map(StatementView::elapsed).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
        Duration retryAfter = runner.retryAfter(longest);
        return new LimitExceededException(LimitExceededException.Reason.RUNNING, why + "; a new one starts as soon as"
                + " one of them ends. The longest has run " + seconds(longest) + ", recent statements ran "
                + seconds(runner.meanRun()) + " on average, so retry in about " + retryAfter.toSeconds() + " s, or"
                + " cancel one you no longer need (DELETE /v1/statements/{id})", retryAfter);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /**
     * The statement, touched (it is not abandoned); NotFoundException for unknown or malformed ids,
     * and for statements {@code access} does not allow, with the same answer as for one that never existed.
     */
    public Statement get(String id, StatementAccess access) {
        Optional<UUID> uuid = uuid(id);
        Optional<Statement> statement = uuid.flatMap(store::get);
        if (statement.isEmpty()) {
            // What happened to it is told only to those who could see it.
            throw StatementErrors.notFound(id, uuid.flatMap(store::gone).filter(g -> access.allows(g.owner())), config);
        }
        if (!access.allows(statement.get().owner())) {
            throw StatementErrors.notFound(id, Optional.empty(), config);
        }
        statement.get().touch();
        return statement.get();
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            // Not a UUID: unknown as well.
            return Optional.empty();
        }
    }

    /**
     * The statements {@code access} allows and {@code filter} matches, newest first; at most
     * {@code limit}, starting after {@code after} (the last of the previous page).
     */
    public StatementPage list(StatementAccess access, StatementStore.Filter filter, int limit,
            Optional<StatementPage.Cursor> after) {
        List<StatementView> matching = store.list(access, filter, limit + 1, after);
        List<StatementView> page = matching.stream().limit(limit).toList();
        Optional<StatementPage.Cursor> next = matching.size() > limit
                ? Optional.of(StatementPage.Cursor.of(matching.get(limit - 1))) : Optional.empty();
        return new StatementPage(page, next);
    }

    /** The statement once it ended, or as it is when {@code timeout} passed; no thread waits meanwhile. */
    public Uni<StatementView> awaitEnd(Statement statement, Duration timeout) {
        return await(statement, statement.signal(-1, true), timeout);
    }

    /** The statement once its version passed {@code seen}, or as it is when {@code timeout} passed. */
    public Uni<StatementView> awaitChange(Statement statement, long seen, Duration timeout) {
        return await(statement, statement.signal(seen, false), timeout);
    }

    /** Emits on a worker thread: the signal completes under the statement's lock, or on the JDK's timer thread. */
    private static Uni<StatementView> await(Statement statement, CompletableFuture<Void> signal, Duration timeout) {
        signal.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return Uni.createFrom().completionStage(signal)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(ignored -> statement.view());
    }

    /** Cancels a running statement (interrupting its Spark operation); {@code reason} becomes its error. */
    public StatementView cancel(Statement statement, String reason) {
        store.cancel(statement, reason == null ? null : StoppedException.cancelled(reason));
        return statement.view();
    }

    /**
     * DELETE: cancels a running statement (it stays, CANCELED, until evicted or expired), or removes
     * a finished one with its result, freeing its place at once.
     */
    public StatementView close(Statement statement) {
        if (store.close(statement)) {
            remove(statement, Removal.DELETED);
            return statement.view();
        }
        return cancel(statement, null);
    }

    private void remove(Statement statement, Removal why) {
        store.remove(statement, why);
        spool.delete(statement.id());
    }

    /** Opens chunk {@code index} for reading. */
    public SpooledChunk chunk(Statement statement, int index) {
        StatementView view = statement.view();
        ChunkInfo info = statement.chunkInfo(index);
        if (info == null || view.state() == StatementState.CLOSED || view.state() == StatementState.FAILED
                || view.state() == StatementState.CANCELED) {
            throw StatementErrors.noChunk(view, index);
        }
        boolean last = view.state() == StatementState.SUCCEEDED && index == view.chunks().size() - 1;
        try {
            return SpooledChunk.of(spool.read(statement.id(), index), view.columns(), info,
                    last && view.truncated());
        } catch (IOException e) {
            // Closed (or expired) between the check and the open.
            throw StatementErrors.noChunk(statement.view(), index);
        }
    }

    /** Statements by state, for metrics. */
    public Map<StatementState, Long> counts() {
        return store.counts();
    }

    /** Bytes of results reserved against {@code spool-max-size} now. */
    public long spoolReservedBytes() {
        return spool.reserved();
    }

    /** Bytes this process's spool directory holds on disk now. */
    public long spoolDiskBytes() {
        return spool.onDisk();
    }

    /** This process's spool directory. */
    public Path spoolDirectory() {
        return spool.root();
    }
}
