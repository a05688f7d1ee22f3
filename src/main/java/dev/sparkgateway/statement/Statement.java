package dev.sparkgateway.statement;

import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.query.Cancellation;
import dev.sparkgateway.query.SparkOperation;
import dev.sparkgateway.result.ResultColumn;
import org.apache.spark.connect.proto.ExecutePlanResponse.ExecutionProgress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One asynchronous statement: its state machine, progress and spooled chunks. Every change bumps
 * a version and completes the signals of those waiting for it (a submit waiting for the end, SSE
 * listeners); nobody holds a thread while waiting. {@link #view()} is an immutable snapshot.
 * Over 300 lines on purpose: the state machine, its waiters and the hand-off to a shared store
 * ({@link Persistence}, {@link #restore}) change under one lock, so they stay in one class.
 */
public final class Statement {

    private final UUID id;
    private final String owner;
    private final String fingerprint;
    private final Instant createdAt;
    /** Decides the result TTL and the abandoned-timeout (a test advances it); elapsed times use {@link System#nanoTime}. */
    private final Clock clock;
    private final long createdNanos = System.nanoTime();
    private final Cancellation cancellation = new Cancellation();
    private final Persistence persistence;
    /** Set for a copy of a statement another gateway replica runs (shared store): its last known state. */
    private final boolean mirror;
    private Instant endedAt;
    private volatile Instant lastAccess;
    private StatementState state = StatementState.PENDING;
    private Progress progress = Progress.NONE;
    private List<ResultColumn> columns;
    private String operationId;
    private SparkOperation sparkOperation;
    private final List<ChunkInfo> chunks = new ArrayList<>();
    private long rows;
    private long bytes;
    private boolean truncated;
    private GatewayException failure;
    private long endedNanos;
    private long version;
    private final List<Waiter> waiters = new ArrayList<>();

    /** Someone waiting for the version to pass {@code seen}, or (untilEnd) for the end. */
    private record Waiter(long seen, boolean untilEnd, CompletableFuture<Void> signal) {

        boolean satisfiedBy(long version, StatementState state) {
            return untilEnd ? state.isTerminal() : version > seen;
        }
    }

    /**
     * Told of every change of a statement this process runs, under the statement's lock, so a shared
     * store sees the changes in their order. {@link Change#PROGRESS} may be written late (coalesced).
     */
    interface Persistence {

        Persistence NONE = new Persistence() {
        };

        enum Change { STATE, RESULT, PROGRESS }

        default void changed(Statement statement, Change change) {
        }

        /** Someone asked about the statement (GET, events, chunk): for the abandoned-timeout of every replica. */
        default void touched(Statement statement) {
        }
    }

    /** A statement this process runs, submitted now by {@code clock}. */
    Statement(UUID id, String owner, String fingerprint, Clock clock, Persistence persistence) {
        this(id, owner, fingerprint, clock.instant(), clock, persistence, false);
    }

    private Statement(UUID id, String owner, String fingerprint, Instant createdAt, Clock clock,
            Persistence persistence, boolean mirror) {
        this.id = Objects.requireNonNull(id, "id is null");
        this.owner = Objects.requireNonNull(owner, "owner is null");
        this.fingerprint = fingerprint;
        // Microseconds: what PostgreSQL keeps, so page cursors compare the same in every store.
        this.createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.lastAccess = clock.instant();
        this.persistence = persistence;
        this.mirror = mirror;
    }

    /** A copy of a statement another replica runs, as the shared store last saw it ({@link #restore}). */
    static Statement mirror(UUID id, String owner, String fingerprint, Instant createdAt,
            Persistence persistence) {
        // Its times come from the database (the postgresql store): compared with the real wall clock.
        return new Statement(id, owner, fingerprint, createdAt, Clock.systemUTC(), persistence, true);
    }

    /** Whether another replica runs it; its changes arrive by {@link #restore}. */
    boolean isMirror() {
        return mirror;
    }

    /**
     * Takes the state the shared store holds, if newer ({@code version} higher); wakes those waiting.
     * On a statement this process runs, the store's end wins (a cancel or a lost lease decided
     * elsewhere): its Spark operation is interrupted. {@code force}: take it even if not newer (the
     * store refused this process's own write). Returns whether anything changed.
     */
    boolean restore(StatementView stored, Instant storedEndedAt, boolean force) {
        boolean interrupt;
        synchronized (this) {
            if (!force && stored.version() <= version && !(stored.state().isTerminal() && !state.isTerminal())) {
                return false;
            }
            interrupt = !mirror && stored.state().isTerminal() && !state.isTerminal();
            if (stored.state().isTerminal() && !state.isTerminal()) {
                endedNanos = System.nanoTime();
            }
            state = stored.state();
            progress = stored.progress();
            columns = stored.columns();
            operationId = stored.operationId();
            chunks.clear();
            chunks.addAll(stored.chunks());
            rows = stored.rowCount();
            bytes = stored.byteCount();
            truncated = stored.truncated();
            failure = stored.failure();
            endedAt = storedEndedAt;
            version = Math.max(version + 1, stored.version());
            signalReady();
        }
        if (interrupt) {
            cancellation.cancel();
        }
        return true;
    }

    public UUID id() {
        return id;
    }

    /** The principal that submitted it; only it (and admins) may see it. */
    public String owner() {
        return owner;
    }

    /** When it was submitted, to the microsecond: listings are ordered by it. */
    Instant createdAt() {
        return createdAt;
    }

    /** Equal for equal requests: an Idempotency-Key reused with another request is refused. */
    String fingerprint() {
        return fingerprint;
    }

    Cancellation cancellation() {
        return cancellation;
    }


    /** Someone asked about the statement: it is not abandoned. */
    void touch() {
        lastAccess = clock.instant();
        persistence.touched(this);
    }

    /** Another replica was asked about it {@code ago}: it is not abandoned either. */
    void touchedElsewhere(Duration ago) {
        Instant at = clock.instant().minus(ago);
        if (at.isAfter(lastAccess)) {
            lastAccess = at;
        }
    }

    /** Time since anyone asked; zero while someone waits for it (a submit's wait, an SSE listener). */
    synchronized Duration idle() {
        return !waiters.isEmpty() ? Duration.ZERO : Duration.between(lastAccess, clock.instant());
    }

    synchronized boolean start() {
        if (state != StatementState.PENDING) {
            return false;
        }
        return change(StatementState.RUNNING);
    }

    synchronized void progress(ExecutionProgress report) {
        if (!state.isTerminal()) {
            progress = progress.merge(report);
            change(state, Persistence.Change.PROGRESS);
        }
    }

    /** A Spark operation of the statement began (SQL runs as two: its command step, then the query). */
    synchronized void operation(SparkOperation operation) {
        if (!state.isTerminal()) {
            this.operationId = operation.operationId();
            this.sparkOperation = operation;
            // Written at once: another replica may have to interrupt it.
            change(state, Persistence.Change.RESULT);
        }
    }

    /** The latest Spark operation and its session; null until the first starts. */
    synchronized SparkOperation sparkOperation() {
        return sparkOperation;
    }

    synchronized void schema(List<ResultColumn> columns, String operationId) {
        this.columns = List.copyOf(columns);
        this.operationId = operationId;
        change(state, Persistence.Change.RESULT);
    }

    /** A chunk is on disk and may be fetched, also while the statement still runs. */
    synchronized void chunk(ChunkInfo chunk) {
        chunks.add(chunk);
        rows += chunk.rowCount();
        bytes += chunk.byteCount();
        change(state, Persistence.Change.RESULT);
    }

    synchronized void succeed(boolean truncated) {
        if (state == StatementState.RUNNING) {
            this.truncated = truncated;
            // Spark's last report may predate the last tasks: a succeeded statement has nothing left to do.
            progress = progress.finished();
            change(StatementState.SUCCEEDED);
        }
    }

    /** Records the failure unless the statement already ended (e.g. the failure is our own cancel). */
    synchronized void fail(GatewayException error) {
        if (!state.isTerminal()) {
            failure = error;
            change(StatementState.FAILED);
        }
    }

    /**
     * Cancels a statement that has not ended; {@code reason} (may be null for a plain DELETE) is
     * reported as its error. Returns whether it was cancelled now.
     */
    boolean cancel(GatewayException reason) {
        synchronized (this) {
            if (state.isTerminal()) {
                return false;
            }
            failure = reason;
            change(StatementState.CANCELED);
        }
        cancellation.cancel();
        return true;
    }

    /** Fails a statement that has not ended and interrupts its Spark operation (a replica shutting down). */
    void abort(GatewayException error) {
        synchronized (this) {
            if (state.isTerminal()) {
                return;
            }
            failure = error;
            change(StatementState.FAILED);
        }
        cancellation.cancel();
    }

    /**
     * DELETE of a finished statement (a SUCCEEDED one becomes CLOSED; the registry then drops it and
     * its result). False while it still runs: that DELETE is a cancel.
     */
    synchronized boolean close() {
        if (!state.isTerminal()) {
            return false;
        }
        if (state == StatementState.SUCCEEDED) {
            change(StatementState.CLOSED);
        }
        return true;
    }

    private boolean change(StatementState next) {
        return change(next, Persistence.Change.STATE);
    }

    private boolean change(StatementState next, Persistence.Change change) {
        if (next.isTerminal() && !state.isTerminal()) {
            endedNanos = System.nanoTime();
            endedAt = clock.instant();
        }
        state = next;
        version++;
        persistence.changed(this, change);
        signalReady();
        return true;
    }

    private void signalReady() {
        List<Waiter> ready = waiters.stream().filter(w -> w.satisfiedBy(version, state)).toList();
        waiters.removeAll(ready);
        ready.forEach(w -> w.signal().complete(null));
    }

    /** When it ended, by the wall clock; null while it runs. */
    synchronized Instant endedAt() {
        return state.isTerminal() ? endedAt : null;
    }

    /** Whether someone waits for it here (a submit's wait, an SSE listener): a shared store keeps its copy fresh. */
    synchronized boolean watched() {
        return !waiters.isEmpty();
    }

    synchronized long version() {
        return version;
    }

    synchronized StatementState state() {
        return state;
    }

    /** Whether it ended (succeeded, failed, cancelled or closed): it no longer counts as running. */
    synchronized boolean ended() {
        return state.isTerminal();
    }

    /** When it ended ({@link System#nanoTime}); {@link Long#MAX_VALUE} while it runs. */
    synchronized long endedNanos() {
        return state.isTerminal() ? endedNanos : Long.MAX_VALUE;
    }

    /** Whether it ended more than {@code ago} before now, by its clock: its result TTL passed. */
    synchronized boolean endedBefore(Duration ago) {
        return state.isTerminal() && endedAt != null && endedAt.isBefore(clock.instant().minus(ago));
    }

    synchronized ChunkInfo chunkInfo(int index) {
        return index >= 0 && index < chunks.size() ? chunks.get(index) : null;
    }

    /**
     * Completes once the version passes {@code seen} (or, if {@code untilEnd}, once the statement
     * ended), at once if it has; completing it early (a timeout) gives up waiting. While it is
     * pending the statement counts as watched, not abandoned. Completed under this statement's
     * lock: whoever waits must continue on a thread of its own.
     */
    synchronized CompletableFuture<Void> signal(long seen, boolean untilEnd) {
        Waiter waiter = new Waiter(seen, untilEnd, new CompletableFuture<>());
        if (waiter.satisfiedBy(version, state)) {
            touch();
            return CompletableFuture.completedFuture(null);
        }
        waiters.add(waiter);
        waiter.signal().whenComplete((ignored, error) -> {
            synchronized (this) {
                waiters.remove(waiter);
            }
            touch();
        });
        return waiter.signal();
    }

    public synchronized StatementView view() {
        Duration elapsed;
        if (mirror) {
            // Another replica's statement: by the wall clock, from its submit to its end (or now).
            Duration sinceSubmit = Duration.between(createdAt, state.isTerminal() && endedAt != null ? endedAt : clock.instant());
            elapsed = sinceSubmit.isNegative() ? Duration.ZERO : sinceSubmit;
        } else {
            elapsed = Duration.ofNanos((state.isTerminal() ? endedNanos : System.nanoTime()) - createdNanos);
        }
        return new StatementView(id, owner, fingerprint, state, version, createdAt, elapsed, progress, columns, operationId,
                List.copyOf(chunks), rows, bytes, truncated, failure);
    }
}
