package dev.sparkgateway.statement;

import dev.sparkgateway.error.LimitExceededException;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local directory holding spooled results, one subdirectory per statement, with a cap on the
 * bytes all of them may take. Space is reserved before it is written, so the cap holds even with
 * many statements writing at once. On start it deletes what dead gateways left under the same
 * parent ({@link SpoolDirectory}).
 */
final class Spool {

    private static final Logger LOG = Logger.getLogger(Spool.class);

    private final SpoolDirectory root;
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();
    private final Map<UUID, AtomicLong> reserved = new ConcurrentHashMap<>();

    /**
     * @param parent        the configured directory; this process spools into a fresh, locked subdirectory of it
     * @param unlockedGrace how long a lockless leftover must be unchanged to be deleted ({@link SpoolDirectory#removeOrphans})
     */
    Spool(Path parent, long maxBytes, Duration unlockedGrace) {
        this.root = SpoolDirectory.create(parent);
        SpoolDirectory.Removed removed = SpoolDirectory.removeOrphans(parent, unlockedGrace);
        if (removed.directories() > 0) {
            LOG.infof("Removed %d spool director%s of gateways no longer running from %s (%d bytes); spooling into %s",
                    removed.directories(), removed.directories() == 1 ? "y" : "ies", parent, removed.bytes(),
                    root.path().getFileName());
        }
        this.maxBytes = maxBytes;
    }

    Path root() {
        return root.path();
    }

    Path directory(UUID statement) {
        return root.path().resolve(statement.toString());
    }

    /** Takes {@code bytes} of the cap for {@code statement}, or fails (507: the spool is full). */
    void reserve(UUID statement, long bytes) {
        long total = used.addAndGet(bytes);
        if (total > maxBytes) {
            used.addAndGet(-bytes);
            throw new LimitExceededException(LimitExceededException.Reason.SPOOL, "The result does not fit into the statement"
                    + " spool (gateway.statements.spool-max-size = " + maxBytes + " bytes, shared by all statements);"
                    + " add a limit, select fewer columns, or fetch it with POST /v1/sql, which streams without spooling", null);
        }
        reserved.computeIfAbsent(statement, k -> new AtomicLong()).addAndGet(bytes);
    }

    /** Bytes reserved against the cap. */
    long reserved() {
        return used.get();
    }

    /** Bytes the process's spool directory holds on disk now. */
    long onDisk() {
        return root.bytesOnDisk();
    }

    /** Deletes a statement's files and gives its space back. */
    void delete(UUID statement) {
        SpoolDirectory.deleteTree(directory(statement));
        AtomicLong bytes = reserved.remove(statement);
        if (bytes != null) {
            used.addAndGet(-bytes.get());
        }
    }

    /** Deletes everything, the directory and its lock included. */
    void deleteAll() {
        root.close();
    }
}
