package dev.sparkgateway.statement;

import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.error.StoppedException;
import dev.sparkgateway.observe.RequestLog;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.query.RunOptions;
import dev.sparkgateway.result.ResultEncoder;
import dev.sparkgateway.result.ResultFormats;
import io.grpc.Status;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
 * {@code max-running}; only those running (or pending) can refuse a submit. Finished ones make room
 * for new ones, oldest first, once {@code max-stored} are held; a reaper cancels abandoned
 * statements and drops expired ones.
 */
// Eager, so the spool left by a dead gateway is cleaned up at start, not at the first statement.
@Startup
@ApplicationScoped
public class StatementRegistry {

    private static final Logger LOG = Logger.getLogger(StatementRegistry.class);
    /** For a chunk not spooled yet: chunks come every few hundred milliseconds while a result streams. */
    private static final Duration CHUNK_RETRY_AFTER = Duration.ofSeconds(1);
    /** Why the latest removed ids are gone, for their 404; older ones get the general message. */
    private static final int REMEMBERED_REMOVALS = 10_000;

    /** Why a statement is no longer held. */
    private enum Removal { DELETED, EXPIRED, EVICTED }

    private record Gone(Removal why, Instant at, String owner) {
    }

    private final StatementConfig config;
    private final ResultEncoder arrow;
    private final Spool spool;
    private final Map<UUID, Statement> statements = new ConcurrentHashMap<>();
    private final Map<String, Statement> byKey = new ConcurrentHashMap<>();
    private final Semaphore running;
    private final RetryEstimate retryEstimate = new RetryEstimate();
    private final Map<UUID, Gone> gone = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Gone> eldest) {
            return size() > REMEMBERED_REMOVALS;
        }
    });
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("statement-runner"));
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(daemon("statement-reaper"));

    public StatementRegistry(StatementConfig config, ResultFormats formats) {
        this.config = config;
        this.arrow = formats.byName("arrow").orElseThrow();
        this.running = new Semaphore(config.maxRunning());
        Path parent = config.spoolDir().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "spark-gateway-spool"));
        // A lockless directory may be a live older gateway's: it deletes its results within the TTL.
        this.spool = new Spool(parent, config.spoolMaxSize().asLongValue(), config.resultTtl().plusMinutes(1));
        reaper.scheduleWithFixedDelay(this::reap, 1, 1, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        reaper.shutdownNow();
        statements.values().forEach(s -> s.cancel(null));
        workers.shutdownNow();
        spool.deleteAll();
    }

    /**
     * Starts a statement, or returns the one already started under {@code idempotencyKey}. Makes
     * room by evicting the oldest finished statements when {@code max-stored} are held. Throws
     * TOO_MANY when {@code max-running} statements run, IDEMPOTENCY_CONFLICT when the key names
     * another request.
     */
    public synchronized Statement submit(Optional<String> idempotencyKey, StatementTask task) {
        // Keys are the owner's own: another principal's same key is another statement, and says nothing of this one.
        Optional<String> scopedKey = idempotencyKey.map(key -> task.owner() + '\u0000' + key);
        if (scopedKey.isPresent()) {
            Statement existing = byKey.get(scopedKey.get());
            if (existing != null) {
                if (!existing.fingerprint().equals(task.fingerprint())) {
                    throw new StatementException(StatementException.Kind.IDEMPOTENCY_CONFLICT, "Idempotency-Key '"
                            + idempotencyKey.get() + "' was used for a different request (statement " + existing.id() + ")");
                }
                existing.touch();
                return existing;
            }
        }
        OptionalInt ownerMax = task.quota().maxRunning();
        if (ownerMax.isPresent()) {
            long owned = statements.values().stream().filter(s -> s.owner().equals(task.owner()) && !s.ended()).count();
            if (owned >= ownerMax.getAsInt()) {
                // The owner's own quota: other principals' statements neither count nor are refused.
                throw tooMany(task.owner() + " has " + owned + " statements running or pending, its quota ("
                        + task.quota().source() + ") is " + ownerMax.getAsInt(), task.owner());
            }
        }
        if (!running.tryAcquire()) {
            throw tooMany(config.maxRunning() + " statements are running (gateway.statements.max-running)", null);
        }
        if (!makeRoom()) {
            running.release();
            throw tooMany("All " + statements.size() + " statements held (gateway.statements.max-stored) are running", null);
        }
        UUID id = UUID.randomUUID();
        Statement statement = new Statement(id, task.owner(), task.fingerprint(), spool.directory(id));
        statements.put(id, statement);
        scopedKey.ifPresent(key -> byKey.put(key, statement));
        try {
            workers.execute(() -> run(statement, task));
        } catch (RuntimeException e) {
            running.release();
            statements.remove(id);
            scopedKey.ifPresent(byKey::remove);
            throw e;
        }
        return statement;
    }

    /** Evicts the oldest finished statements until one more fits; false if all held ones run. */
    private boolean makeRoom() {
        while (statements.size() >= config.maxStored()) {
            Statement oldest = null;
            for (Statement s : statements.values()) {
                if (s.endedNanos() != Long.MAX_VALUE && (oldest == null || s.endedNanos() < oldest.endedNanos())) {
                    oldest = s;
                }
            }
            if (oldest == null) {
                return false;
            }
            remove(oldest, Removal.EVICTED);
        }
        return true;
    }

    /** A 429 whose Retry-After and hint follow from what runs now (of {@code owner} only, if given). */
    private StatementException tooMany(String why, String owner) {
        Duration longest = Duration.ZERO;
        for (Statement s : statements.values()) {
            if (!s.ended() && (owner == null || owner.equals(s.owner()))) {
                Duration elapsed = s.view().elapsed();
                longest = elapsed.compareTo(longest) > 0 ? elapsed : longest;
            }
        }
        Duration retryAfter = retryEstimate.retryAfter(longest);
        return new StatementException(StatementException.Kind.TOO_MANY, why + "; a new one starts as soon as one of"
                + " them ends. The longest has run " + seconds(longest) + ", recent statements ran " + seconds(
                retryEstimate.mean()) + " on average, so retry in about " + retryAfter.toSeconds() + " s, or cancel one"
                + " you no longer need (DELETE /v1/statements/{id})", retryAfter);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private void run(Statement statement, StatementTask task) {
        try {
            if (!statement.start()) {
                return;
            }
            // Reattachable: the server cuts long streams (2 min / 1 GiB) and this resumes them.
            RunOptions options = new RunOptions(task.user(), task.limit(), true, List.of("gateway-statement-" + statement.id()),
                    statement::progress, statement::operation, false, task.quota().limits());
            try (QueryResult result = task.run().apply(options, statement.cancellation())) {
                statement.schema(result.columns(), result.operationId());
                new ChunkWriter(result, statement, spool, arrow, config.chunkSize().asLongValue()).writeAll();
                statement.succeed(result.truncated());
            }
        } catch (IOException e) {
            statement.fail(new UncheckedIOException("Writing the result spool failed: " + e.getMessage(), e));
        } catch (RuntimeException | Error e) {
            if (statement.state() == StatementState.RUNNING) {
                // Its problem+json goes to whoever polls. Spark rejecting a statement is the client's
                // business (and a flood of bad SQL must not flood the log); unexpected ones keep their stack.
                if (e instanceof SparkException) {
                    LOG.debugf("statement %s failed: %s", statement.id(), e.getMessage());
                } else {
                    LOG.infof(e, "statement %s failed: %s", statement.id(), e.getMessage());
                }
            }
            statement.fail(e);
        } finally {
            StatementView ended = statement.view();
            retryEstimate.ended(ended.elapsed());
            RequestLog.statement(ended.id().toString(), ended.state().name(), ended.rowCount(), ended.byteCount(),
                    ended.elapsed(), ended.operationId(), task.audit());
            running.release();
            if (statement.state() != StatementState.SUCCEEDED) {
                // Failed, cancelled or closed meanwhile: nothing left to fetch.
                spool.delete(statement.id());
            }
        }
    }

    /**
     * The statement, touched (it is not abandoned); NOT_FOUND for unknown or malformed ids, and for
     * statements {@code access} does not allow, with the same answer as for one that never existed.
     */
    public Statement get(String id, StatementAccess access) {
        Statement statement = null;
        try {
            statement = statements.get(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            // Not a UUID: unknown as well.
        }
        if (statement == null) {
            throw notFound(id, access);
        }
        if (!access.allows(statement.owner())) {
            throw notFound(id, null);
        }
        statement.touch();
        return statement;
    }

    /**
     * The statements {@code access} allows, newest first, optionally only those in {@code state};
     * at most {@code limit}, starting after {@code after} (the last of the previous page).
     */
    public StatementPage list(StatementAccess access, Optional<StatementState> state, int limit, Optional<StatementPage.Cursor> after) {
        List<Statement> matching = statements.values().stream()
                .filter(s -> access.allows(s.owner()))
                .filter(s -> state.isEmpty() || s.state() == state.get())
                .filter(s -> after.isEmpty() || after.get().isBefore(s.createdNanos(), s.id()))
                .sorted(StatementPage.NEWEST_FIRST)
                .limit(limit + 1L)
                .toList();
        List<StatementView> page = matching.stream().limit(limit).map(Statement::view).toList();
        Optional<StatementPage.Cursor> next = matching.size() > limit
                ? Optional.of(StatementPage.Cursor.of(matching.get(limit - 1))) : Optional.empty();
        return new StatementPage(page, next);
    }

    /** Why {@code id} is unknown; what happened to it is told only to those who could see it. */
    private StatementException notFound(String id, StatementAccess access) {
        Gone why = null;
        try {
            Gone gone = this.gone.get(UUID.fromString(id));
            why = gone != null && access != null && access.allows(gone.owner()) ? gone : null;
        } catch (IllegalArgumentException e) {
            // Not a UUID: never existed.
        }
        String detail;
        if (why == null) {
            detail = "No statement " + id + ": it never existed, or the gateway restarted since (statements live in"
                    + " the gateway's memory only), or it was removed long ago (DELETE, result TTL, or eviction)";
        } else {
            detail = switch (why.why()) {
                case DELETED -> "Statement " + id + " was deleted (DELETE) at " + why.at() + ", its result with it";
                case EXPIRED -> "Statement " + id + " expired at " + why.at() + ": its result TTL ("
                        + "gateway.statements.result-ttl = " + config.resultTtl() + ") passed";
                case EVICTED -> "Statement " + id + " was evicted at " + why.at() + " to make room for newer ones: the"
                        + " gateway holds at most " + config.maxStored() + " statements (gateway.statements.max-stored)"
                        + " and drops the oldest finished ones first";
            };
        }
        return new StatementException(StatementException.Kind.NOT_FOUND, detail);
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
        statement.cancel(reason == null ? null : StoppedException.cancelled(reason));
        return statement.view();
    }

    /**
     * DELETE: cancels a running statement (it stays, CANCELED, until evicted or expired), or removes
     * a finished one with its result, freeing its place at once.
     */
    public StatementView close(Statement statement) {
        if (statement.close()) {
            remove(statement, Removal.DELETED);
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
                    + " chunk(s) so far", CHUNK_RETRY_AFTER);
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

    private void reap() {
        try {
            for (Statement s : statements.values()) {
                StatementState state = s.state();
                if (!state.isTerminal() && s.idle().compareTo(config.abandonedTimeout()) > 0) {
                    LOG.infof("statement %s abandoned: nobody polled it for %s", s.id(), config.abandonedTimeout());
                    cancel(s, "Nobody polled the statement for " + config.abandonedTimeout()
                            + " (gateway.statements.abandoned-timeout), so it was cancelled");
                } else if (s.endedBefore(config.resultTtl())) {
                    remove(s, Removal.EXPIRED);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "statement reaper failed");
        }
    }

    private synchronized void remove(Statement statement, Removal why) {
        if (statements.remove(statement.id(), statement)) {
            gone.put(statement.id(), new Gone(why, Instant.now(), statement.owner()));
            byKey.values().remove(statement);
        }
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
