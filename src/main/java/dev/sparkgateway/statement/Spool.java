package dev.sparkgateway.statement;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The local directory holding spooled results, one subdirectory per statement, with a cap on the
 * bytes all of them may take. Space is reserved before it is written, so the cap holds even with
 * many statements writing at once.
 */
final class Spool {

    private static final Logger LOG = Logger.getLogger(Spool.class);

    private final Path root;
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();
    private final Map<UUID, AtomicLong> reserved = new ConcurrentHashMap<>();

    /** @param parent the configured directory; this process spools into a fresh subdirectory of it */
    Spool(Path parent, long maxBytes) {
        try {
            Files.createDirectories(parent);
            this.root = Files.createTempDirectory(parent, "spool-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the statement spool under " + parent, e);
        }
        this.maxBytes = maxBytes;
    }

    Path directory(UUID statement) {
        return root.resolve(statement.toString());
    }

    /** Takes {@code bytes} of the cap for {@code statement}, or fails with SPOOL_FULL. */
    void reserve(UUID statement, long bytes) {
        long total = used.addAndGet(bytes);
        if (total > maxBytes) {
            used.addAndGet(-bytes);
            throw new StatementException(StatementException.Kind.SPOOL_FULL, "The result does not fit into the statement"
                    + " spool (gateway.statements.spool-max-size = " + maxBytes + " bytes, shared by all statements);"
                    + " add a limit, select fewer columns, or fetch it with POST /v1/sql, which streams without spooling");
        }
        reserved.computeIfAbsent(statement, k -> new AtomicLong()).addAndGet(bytes);
    }

    long used() {
        return used.get();
    }

    /** Deletes a statement's files and gives its space back. */
    void delete(UUID statement) {
        deleteTree(directory(statement));
        AtomicLong bytes = reserved.remove(statement);
        if (bytes != null) {
            used.addAndGet(-bytes.get());
        }
    }

    void deleteAll() {
        deleteTree(root);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debugf("cannot delete %s: %s", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.debugf("cannot delete %s: %s", dir, e.getMessage());
        }
    }
}
