package dev.sparkgateway.statement;

import dev.sparkgateway.db.Jdbc;
import dev.sparkgateway.query.SparkOperation;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.sparkgateway.statement.StatementRows.UNFINISHED;

/**
 * The shared store's housekeeping. Every replica renews its own lease ({@code gateway_instances});
 * one replica at a time (a transaction-scoped advisory lock) fails the statements of replicas whose
 * lease expired, forgets rows removed a day ago, and deletes spool directories no row holds.
 * Expiry by TTL is the reaper's ({@link PostgresStatementStore#expired}), claimed row by row.
 */
final class StatementJanitor {

    private static final Logger LOG = Logger.getLogger(StatementJanitor.class);

    /** The advisory lock of the janitor's work: an arbitrary constant ("SgwSjan"). */
    private static final long LOCK = 0x5367_7753_6a61_6eL;
    /** How long a removed statement's row stays, so its 404 can say why. */
    private static final Duration REMEMBER_REMOVED = Duration.ofDays(1);
    /** A spool directory no row holds is deleted once unchanged this long (one being inserted has no row yet). */
    private static final Duration ORPHAN_GRACE = Duration.ofMinutes(2);
    /** Orphans are looked for every this many runs (the spool may hold many directories). */
    private static final int ORPHAN_SCAN_EVERY = 30;
    private static final long NOT_HEALTHY = Long.MIN_VALUE;

    private final Jdbc jdbc;
    private final Spool spool;
    private final Duration lease;
    private final UUID instance;
    private final String instanceName;
    private final Consumer<SparkOperation> interrupt;
    private long runs;
    /**
     * Since when this replica renews its lease without a miss. Others are judged lost only once it
     * has for a whole lease: after a database outage every lease has run out, and each replica gets
     * a lease period to renew before anyone's statements are failed.
     */
    private volatile long healthySince = NOT_HEALTHY;

    StatementJanitor(Jdbc jdbc, Spool spool, Duration lease, UUID instance, String instanceName,
            Consumer<SparkOperation> interrupt) {
        this.interrupt = interrupt;
        this.jdbc = jdbc;
        this.spool = spool;
        this.lease = lease;
        this.instance = instance;
        this.instanceName = instanceName;
    }

    /** This replica is alive for another lease (re-registered if a janitor took it for lost meanwhile). */
    void renewLease() {
        try {
            renew();
        } catch (RuntimeException e) {
            healthySince = NOT_HEALTHY;
            throw e;
        }
        if (healthySince == NOT_HEALTHY) {
            healthySince = System.nanoTime();
        }
    }

    private void renew() {
        // Held for half the lease, renewed every quarter: one renewal may be missed, and a lost replica's
        // statements fail within the lease (half of it, plus the janitor's one-second tick).
        jdbc.update("INSERT INTO gateway_instances (id, name, lease_until) VALUES (?, ?, now() + ? * interval '1 millisecond')"
                + " ON CONFLICT (id) DO UPDATE SET lease_until = EXCLUDED.lease_until", instance, instanceName, lease.toMillis() / 2);
    }

    /** This replica leaves: a janitor fails whatever it still ran at once, not after its lease. */
    void leave() {
        jdbc.update("DELETE FROM gateway_instances WHERE id = ?", instance);
    }

    void run() {
        List<Path> orphans = new ArrayList<>();
        List<SparkOperation> abandoned = new ArrayList<>();
        boolean scan = runs++ % ORPHAN_SCAN_EVERY == 0;
        jdbc.inTransaction(c -> {
            if (!Jdbc.query(c, "SELECT pg_try_advisory_xact_lock(?)", row -> row.getBoolean(1), LOCK).get(0)) {
                return;
            }
            long since = healthySince;
            if (since != NOT_HEALTHY && System.nanoTime() - since >= lease.toNanos()) {
                abandoned.addAll(failLost(c));
            }
            Jdbc.update(c, "DELETE FROM statements WHERE removal IS NOT NULL AND removed_at < now() - ? * interval '1 millisecond'",
                    REMEMBER_REMOVED.toMillis());
            Jdbc.update(c, "DELETE FROM gateway_instances WHERE lease_until < now() - ? * interval '1 millisecond'",
                    REMEMBER_REMOVED.toMillis());
            if (scan) {
                orphans.addAll(orphans(c));
            }
        });
        orphans.forEach(SpoolDirectory::deleteTree);
        // Nobody else would stop them: their replica is gone.
        abandoned.forEach(interrupt);
    }

    /** Unfinished statements of replicas without a live lease end FAILED (gateway-instance-lost); returns their Spark operations. */
    private List<SparkOperation> failLost(Connection c) throws SQLException {
        List<SparkOperation> operations = new ArrayList<>();
        List<String[]> lost = Jdbc.query(c, "SELECT s.spark_user, s.spark_session, s.operation_id, s.spark_endpoint, s.id,"
                + " coalesce(i.name, s.instance_id::text) FROM statements s LEFT JOIN gateway_instances i ON i.id = s.instance_id"
                + " WHERE s." + UNFINISHED + " AND (i.id IS NULL OR i.lease_until < now())", row -> {
                    SparkOperation op = StatementRows.operation(row);
                    if (op != null) {
                        operations.add(op);
                    }
                    return new String[] {row.getString(5), row.getString(6), op == null ? "none" : op.operationId()};
                });
        for (String[] s : lost) {
            Jdbc.update(c, "UPDATE statements SET state = 'FAILED', failure = ?::jsonb, ended_at = now(), version = version + 1"
                    + " WHERE id = ? AND " + UNFINISHED, StoredFields.failure(StatementErrors.instanceLost(s[1], lease)),
                    UUID.fromString(s[0]));
            LOG.infof("statement %s failed: the gateway instance running it (%s) lost its lease; interrupting its Spark"
                    + " operation %s", s[0], s[1], s[2]);
        }
        return operations;
    }

    /** Statement directories in the shared spool that no held row claims, unchanged for {@link #ORPHAN_GRACE}. */
    private List<Path> orphans(Connection c) throws SQLException {
        List<Path> candidates = new ArrayList<>();
        Instant cutoff = Instant.now().minus(ORPHAN_GRACE);
        try (Stream<Path> dirs = Files.list(spool.root())) {
            dirs.filter(p -> uuid(p).isPresent() && Files.isDirectory(p)).forEach(p -> {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        candidates.add(p);
                    }
                } catch (IOException e) {
                    // Gone meanwhile.
                }
            });
        } catch (IOException e) {
            LOG.warnf("cannot list the statement spool %s: %s", spool.root(), e.getMessage());
            return List.of();
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<UUID> held = new HashSet<>(Jdbc.query(c, "SELECT id FROM statements WHERE id = ANY(?) AND removal IS NULL",
                row -> row.getObject(1, UUID.class), (Object) candidates.stream().map(p -> uuid(p).orElseThrow()).toArray(UUID[]::new)));
        List<Path> orphans = candidates.stream().filter(p -> !held.contains(uuid(p).orElseThrow())).toList();
        if (!orphans.isEmpty()) {
            LOG.infof("Removing %d statement spool director%s no statement holds from %s", orphans.size(),
                    orphans.size() == 1 ? "y" : "ies", spool.root());
        }
        return orphans;
    }

    private static Optional<UUID> uuid(Path dir) {
        try {
            return Optional.of(UUID.fromString(dir.getFileName().toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
