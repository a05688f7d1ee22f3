package dev.sparkgateway.statement;

import dev.sparkgateway.db.Jdbc;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.observe.LogThrottle;
import dev.sparkgateway.query.SparkOperation;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.sparkgateway.statement.StatementRows.COLUMNS;
import static dev.sparkgateway.statement.StatementRows.UNFINISHED;

/**
 * Statements in PostgreSQL, shared by every gateway replica ({@code gateway.statements.store=postgresql}).
 *
 * <p>A statement is run by the replica that accepted it: that replica keeps it {@link #live} and
 * writes its changes to its row: its end at once, under the statement's lock and with the whole
 * result manifest, so no statement is reported ended (SUCCEEDED above all) that the row does not
 * hold; the rest (running, progress, operation, chunks so far) coalesced every {@code sync-interval}.
 * Any other replica answers for it with a {@linkplain Statement#mirror mirror} built from the row,
 * kept fresh while someone waits for it here. The first end written to the row wins: a DELETE on
 * another replica, or a lost lease, ends the row, and the running replica learns it at its next
 * sync and interrupts the Spark operation.
 *
 * <p>Changes travel by polling one indexed query per replica per {@code sync-interval}, and only
 * while something is watched or running, rather than LISTEN/NOTIFY: that survives dropped
 * connections and transaction-pooling proxies (PgBouncer), which lose notifications.
 *
 * <p>Each replica holds a lease, renewed every quarter of {@code gateway.statements.lease}; the
 * {@link StatementJanitor} fails the statements of replicas whose lease expired.
 *
 * <p>Over 300 lines on purpose: the live and mirror maps, the writes and the sync keep one
 * invariant together (a statement is run here and written from here, or mirrored and refreshed
 * here, never both); JDBC, row mapping and housekeeping are in {@link Jdbc}, {@link StatementRows}
 * and {@link StatementJanitor}.
 */
final class PostgresStatementStore implements StatementStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresStatementStore.class);

    /** The last-access time is written at most this often per statement. */
    private static final long TOUCH_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);


    private static final LogThrottle THROTTLE = new LogThrottle(Duration.ofMinutes(1));

    private final Jdbc jdbc;
    /** Interrupts a Spark operation directly (its replica may be gone); never throws. */
    private final Consumer<SparkOperation> interrupt;
    private final StatementJanitor janitor;
    private final Spool spool;
    private final StatementConfig config;
    private final UUID instance = UUID.randomUUID();
    /** The statements this replica runs (until removed). */
    private final Map<UUID, Statement> live = new ConcurrentHashMap<>();
    /** Other replicas' statements asked about here, while anyone holds them. */
    private final Cache<UUID, Statement> mirrors = CacheBuilder.newBuilder().weakValues().build();
    private final Set<UUID> progressed = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Long> touchedAt = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2,
            new ThreadFactoryBuilder().setNameFormat("statement-store-%d").setDaemon(true).build());
    private final Statement.Persistence persistence = new Statement.Persistence() {
        @Override
        public void changed(Statement statement, Change change) {
            if (change == Change.STATE && statement.ended()) {
                // The end is written before anyone hears of it: nothing is reported that the row does not hold.
                write(statement);
            } else {
                // The rest (running, progress, operation, chunks) within a sync-interval, coalesced:
                // bench/replicas measured five commits per SELECT 1 when each was written at once.
                progressed.add(statement.id());
            }
        }

        @Override
        public void touched(Statement statement) {
            long now = System.nanoTime();
            Long last = touchedAt.get(statement.id());
            if (last == null || now - last > TOUCH_EVERY_NANOS) {
                touchedAt.put(statement.id(), now);
                timer.execute(guarded("touch", () -> jdbc.update("UPDATE statements SET last_access = now() WHERE id = ?",
                        statement.id())));
            }
        }
    };
    private long syncs;

    PostgresStatementStore(DataSource db, Spool spool, StatementConfig config, Consumer<SparkOperation> interrupt) {
        this.jdbc = new Jdbc(db, "statement store");
        this.interrupt = interrupt;
        this.spool = spool;
        this.config = config;
        String instanceName = host() + " pid " + ProcessHandle.current().pid();
        this.janitor = new StatementJanitor(jdbc, spool, config.lease(), instance, instanceName, interrupt);
        janitor.renewLease();
        long leaseMillis = Math.max(config.lease().toMillis() / 4, 100);
        timer.scheduleWithFixedDelay(guarded("lease", janitor::renewLease), leaseMillis, leaseMillis, TimeUnit.MILLISECONDS);
        long sync = Math.max(config.syncInterval().toMillis(), 10);
        timer.scheduleWithFixedDelay(guarded("sync", this::sync), sync, sync, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(guarded("janitor", janitor::run), 1, 1, TimeUnit.SECONDS);
        LOG.infof("Statements in PostgreSQL as instance %s (%s), lease %s, spool %s", instance, instanceName,
                config.lease(), spool.root());
    }

    @Override
    public Statement.Persistence persistence() {
        return persistence;
    }

    @Override
    public Optional<Statement> add(Statement statement, Optional<String> idempotencyKey) {
        StatementView v = statement.view();
        String sql = "INSERT INTO statements (id, owner, idempotency_key, fingerprint, instance_id, state, version,"
                + " created_at, last_access, progress, chunks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), ?::jsonb, '[]'::jsonb)"
                + " ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL AND removal IS NULL DO NOTHING";
        // A key held by a statement removed meanwhile is free again: insert once more.
        for (int attempt = 0; attempt < 3; attempt++) {
            int inserted = jdbc.update(sql, v.id(), v.owner(), idempotencyKey.orElse(null), v.fingerprint(), instance,
                    v.state().name(), v.version(), Timestamp.from(v.createdAt()), StoredFields.json(v.progress()));
            if (inserted == 1) {
                live.put(v.id(), statement);
                return Optional.empty();
            }
            Optional<Statement> held = byKey(v.owner(), idempotencyKey.orElseThrow());
            if (held.isPresent()) {
                return held;
            }
        }
        throw new IllegalStateException("Idempotency-Key " + idempotencyKey.get() + " is taken and freed again at once");
    }

    @Override
    public Optional<Statement> byKey(String owner, String idempotencyKey) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM statements WHERE owner = ? AND idempotency_key = ? AND removal IS NULL",
                this::held, owner, idempotencyKey);
    }

    @Override
    public Optional<Statement> get(UUID id) {
        Statement own = live.get(id);
        if (own != null && !own.ended()) {
            // Running here: only this replica ends it (or the row, which the sync brings in).
            return Optional.of(own);
        }
        Optional<Statement> held = jdbc.queryOne("SELECT " + COLUMNS + " FROM statements WHERE id = ? AND removal IS NULL",
                this::held, id);
        if (held.isEmpty() && own != null) {
            // Removed by another replica (DELETE, eviction, expiry): its files are gone.
            forget(id);
            spool.release(id);
        }
        return held;
    }

    /** This replica's own statement, or the mirror of another's, brought up to the row. */
    private Statement held(ResultSet row) throws SQLException {
        UUID id = row.getObject("id", UUID.class);
        Statement running = live.get(id);
        if (running != null) {
            return running;
        }
        Statement mirror;
        try {
            mirror = mirrors.get(id, () -> Statement.mirror(id, row.getString("owner"), row.getString("fingerprint"),
                    row.getTimestamp("created_at").toInstant(), persistence));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        mirror.restore(StatementRows.view(row), StatementRows.endedAt(row), false);
        return mirror;
    }

    @Override
    public boolean remove(Statement statement, Removal why) {
        boolean removed = jdbc.update("UPDATE statements SET removal = ?, removed_at = now() WHERE id = ? AND removal IS NULL",
                why.name(), statement.id()) == 1;
        forget(statement.id());
        return removed;
    }

    private void forget(UUID id) {
        live.remove(id);
        mirrors.invalidate(id);
        progressed.remove(id);
        touchedAt.remove(id);
    }

    @Override
    public Optional<Gone> gone(UUID id) {
        return jdbc.queryOne("SELECT removal, removed_at, owner FROM statements WHERE id = ? AND removal IS NOT NULL",
                row -> new Gone(Removal.valueOf(row.getString(1)), row.getTimestamp(2).toInstant(), row.getString(3)), id);
    }

    @Override
    public void cancel(Statement statement, GatewayException reason) {
        if (!statement.isMirror()) {
            statement.cancel(reason);
            return;
        }
        // Ended in the row: the replica running it sees that at its next sync and interrupts Spark;
        // interrupted here as well, in case that replica is gone.
        List<SparkOperation> ended = jdbc.query("UPDATE statements SET state = 'CANCELED', failure = ?::jsonb,"
                + " ended_at = now(), version = version + 1 WHERE id = ? AND " + UNFINISHED
                + " RETURNING spark_user, spark_session, operation_id, spark_endpoint", StatementRows::operation, StoredFields.failure(reason),
                statement.id());
        ended.stream().filter(Objects::nonNull).forEach(interrupt);
        refresh(statement);
    }

    @Override
    public boolean close(Statement statement) {
        if (!statement.isMirror()) {
            return statement.close();
        }
        refresh(statement);
        if (!statement.ended()) {
            return false;
        }
        jdbc.update("UPDATE statements SET state = 'CLOSED', version = version + 1 WHERE id = ? AND state = 'SUCCEEDED'",
                statement.id());
        refresh(statement);
        return true;
    }

    private void refresh(Statement statement) {
        jdbc.queryOne("SELECT " + COLUMNS + " FROM statements WHERE id = ?", row -> statement.restore(StatementRows.view(row), StatementRows.endedAt(row),
                !statement.isMirror()), statement.id());
    }

    @Override
    public List<StatementView> list(StatementAccess access, Filter filter, int limit, Optional<StatementPage.Cursor> after) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM statements WHERE removal IS NULL");
        List<Object> args = new ArrayList<>();
        if (!access.all()) {
            sql.append(" AND owner = ?");
            args.add(access.principal());
        }
        filter.state().ifPresent(s -> {
            sql.append(" AND state = ?");
            args.add(s.name());
        });
        filter.createdAfter().ifPresent(t -> {
            sql.append(" AND created_at > ?");
            args.add(Timestamp.from(t));
        });
        filter.createdBefore().ifPresent(t -> {
            sql.append(" AND created_at < ?");
            args.add(Timestamp.from(t));
        });
        filter.fingerprint().ifPresent(f -> {
            sql.append(" AND fingerprint LIKE ?");
            args.add(f + "%");
        });
        after.ifPresent(c -> {
            sql.append(" AND (created_at < ? OR (created_at = ? AND id > ?))");
            Timestamp at = Timestamp.from(c.createdAt());
            args.add(at);
            args.add(at);
            args.add(c.id());
        });
        sql.append(" ORDER BY created_at DESC, id LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), StatementRows::view, args.toArray());
    }

    @Override
    public List<Statement> local() {
        return List.copyOf(live.values());
    }

    /**
     * Claims the finished statements past {@code ttl} for this replica (each is claimed by one replica
     * only: the row is marked EXPIRED in the same statement), so the caller deletes their files; the
     * store's {@link #remove} of them is then a no-op.
     */
    @Override
    public List<Statement> expired(Duration ttl) {
        List<UUID> claimed = jdbc.query("UPDATE statements SET removal = 'EXPIRED', removed_at = now() WHERE removal IS NULL"
                + " AND ended_at < now() - ? * interval '1 millisecond' RETURNING id", row -> row.getObject(1, UUID.class),
                ttl.toMillis());
        List<Statement> expired = new ArrayList<>();
        for (UUID id : claimed) {
            Statement s = live.get(id);
            expired.add(s != null ? s : Statement.mirror(id, "-", "", Instant.now(), persistence));
        }
        return expired;
    }

    @Override
    public List<StatementView> running(Optional<String> owner) {
        return owner.isPresent()
                ? jdbc.query("SELECT " + COLUMNS + " FROM statements WHERE " + UNFINISHED + " AND removal IS NULL AND owner = ?",
                        StatementRows::view, owner.get())
                : jdbc.query("SELECT " + COLUMNS + " FROM statements WHERE " + UNFINISHED + " AND removal IS NULL",
                        StatementRows::view);
    }

    @Override
    public Optional<Statement> oldestEnded() {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM statements WHERE removal IS NULL AND ended_at IS NOT NULL"
                + " ORDER BY ended_at LIMIT 1", this::held);
    }

    @Override
    public int size() {
        return jdbc.queryOne("SELECT count(*) FROM statements WHERE removal IS NULL", row -> row.getInt(1)).orElse(0);
    }

    @Override
    public Map<StatementState, Long> counts() {
        Map<StatementState, Long> counts = new EnumMap<>(StatementState.class);
        for (StatementState s : StatementState.values()) {
            counts.put(s, 0L);
        }
        jdbc.query("SELECT state, count(*) FROM statements WHERE removal IS NULL GROUP BY state",
                row -> counts.put(StatementState.valueOf(row.getString(1)), row.getLong(2)));
        return counts;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // Flush what is left (the statements failed at shutdown were written as they failed).
            progressed.forEach(id -> Optional.ofNullable(live.get(id)).ifPresent(this::write));
            janitor.leave();
        } catch (RuntimeException e) {
            LOG.warnf("could not leave the statement store cleanly: %s", e.getMessage());
        }
    }

    // ---- this replica's writes

    /**
     * Writes a statement this replica runs to its row, under the statement's lock so writes keep its
     * order. Only an unfinished row takes them (or one in the same end, or SUCCEEDED becoming
     * CLOSED): if the row ended otherwise (a DELETE elsewhere, a lost lease), the row wins.
     */
    private void write(Statement statement) {
        synchronized (statement) {
            StatementView v = statement.view();
            Instant ended = statement.endedAt();
            int written;
            try {
                SparkOperation op = statement.sparkOperation();
                written = jdbc.update("UPDATE statements SET state = ?, version = GREATEST(version, ?), ended_at = ?,"
                                + " operation_id = ?, spark_user = ?, spark_session = ?, spark_endpoint = ?, columns = ?::jsonb, progress = ?::jsonb, chunks = ?::jsonb, row_count = ?,"
                                + " byte_count = ?, truncated = ?, failure = ?::jsonb WHERE id = ? AND removal IS NULL AND ("
                                + UNFINISHED + " OR state = ? OR (state = 'SUCCEEDED' AND ? = 'CLOSED'))",
                        v.state().name(), v.version(), ended == null ? null : Timestamp.from(ended), v.operationId(),
                        op == null ? null : op.userId(), op == null ? null : op.sessionId(), op == null ? null : op.endpoint(),
                        StoredFields.json(v.columns()), StoredFields.json(v.progress()), StoredFields.json(v.chunks()),
                        v.rowCount(), v.byteCount(), v.truncated(), StoredFields.failure(v.failure()), v.id(),
                        v.state().name(), v.state().name());
            } catch (RuntimeException e) {
                LOG.warnf("statement %s: writing its state to PostgreSQL failed (%s); retrying at the next sync",
                        v.id(), e.getMessage());
                progressed.add(v.id());
                return;
            }
            if (written == 0) {
                // The row ended elsewhere first (a DELETE whose interrupt reached Spark before our sync
                // saw the row): take its end, at once if ours is an end, so this replica never
                // reports (or logs) an end the row does not hold.
                if (v.state().isTerminal()) {
                    refresh(statement);
                } else {
                    timer.execute(() -> refresh(statement));
                }
            }
        }
    }

    // ---- the periodic work

    /** Progress out; the changes of watched mirrors and the ends of this replica's statements in. */
    private void sync() {
        for (UUID id : List.copyOf(progressed)) {
            progressed.remove(id);
            Statement s = live.get(id);
            if (s != null) {
                write(s);
            }
        }
        Map<UUID, Statement> watched = new HashMap<>();
        live.values().stream().filter(s -> !s.ended()).forEach(s -> watched.put(s.id(), s));
        mirrors.asMap().values().stream().filter(Statement::watched).forEach(s -> watched.put(s.id(), s));
        boolean reconcile = ++syncs % Math.max(1, 5000 / Math.max(1, config.syncInterval().toMillis())) == 0;
        if (reconcile) {
            live.values().forEach(s -> watched.put(s.id(), s));
        }
        if (watched.isEmpty()) {
            return;
        }
        Set<UUID> held = new HashSet<>();
        List<UUID> changed = new ArrayList<>();
        jdbc.query("SELECT id, version, state, EXTRACT(EPOCH FROM now() - last_access) * 1000 FROM statements"
                + " WHERE id = ANY(?) AND removal IS NULL", row -> {
                    UUID id = row.getObject(1, UUID.class);
                    Statement s = watched.get(id);
                    held.add(id);
                    boolean ended = !row.getString(3).equals("PENDING") && !row.getString(3).equals("RUNNING");
                    if (s.isMirror() ? row.getLong(2) > s.version() : ended && !s.ended()) {
                        changed.add(id);
                    }
                    if (!s.isMirror()) {
                        s.touchedElsewhere(Duration.ofMillis(Math.max(0, row.getLong(4))));
                    }
                    return null;
                }, (Object) watched.keySet().toArray(UUID[]::new));
        changed.forEach(id -> refresh(watched.get(id)));
        if (reconcile) {
            // Removed by another replica (DELETE, eviction, expiry): its files are gone, give back its space here.
            live.keySet().stream().filter(id -> !held.contains(id) && watched.containsKey(id)).toList().forEach(id -> {
                forget(id);
                spool.release(id);
            });
        }
    }

    /** A periodic task's failure, logged once a minute per task (the database may be down for a while). */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                long left = THROTTLE.admit(what);
                if (left >= 0) {
                    LOG.warnf("statement store %s failed: %s%s", what, e.getMessage(),
                            left > 0 ? " (" + left + " more such failures not logged)" : "");
                }
            }
        };
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
