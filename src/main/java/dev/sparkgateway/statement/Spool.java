package dev.sparkgateway.statement;

import dev.sparkgateway.error.LimitExceededException;
import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The directory holding spooled results, one subdirectory per statement, with a cap on the bytes
 * this process's statements may take. Space is reserved before it is written, so the cap holds
 * even with many statements writing at once. Private (memory store): a locked directory of this
 * process, and on start it deletes what dead gateways left under the same parent
 * ({@link SpoolDirectory}). Shared (postgresql store): the configured directory itself, which every
 * replica reads; results outlive the process that wrote them and the store's janitor removes them.
 */
final class Spool implements ChunkStorage {

    private static final Logger LOG = Logger.getLogger(Spool.class);

    private final Path root;
    /** The private directory's lock; null when shared. */
    private final SpoolDirectory owned;
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();
    private final Map<UUID, AtomicLong> reserved = new ConcurrentHashMap<>();

    /**
     * @param parent        the configured directory; this process spools into a fresh, locked subdirectory of it
     * @param unlockedGrace how long a lockless leftover must be unchanged to be deleted ({@link SpoolDirectory#removeOrphans})
     */
    Spool(Path parent, long maxBytes, Duration unlockedGrace) {
        this.owned = SpoolDirectory.create(parent);
        this.root = owned.path();
        SpoolDirectory.Removed removed = SpoolDirectory.removeOrphans(parent, unlockedGrace);
        if (removed.directories() > 0) {
            LOG.infof("Removed %d spool director%s of gateways no longer running from %s (%d bytes); spooling into %s",
                    removed.directories(), removed.directories() == 1 ? "y" : "ies", parent, removed.bytes(),
                    root.getFileName());
        }
        this.maxBytes = maxBytes;
    }

    private Spool(Path shared, long maxBytes) {
        this.owned = null;
        this.root = shared;
        this.maxBytes = maxBytes;
    }

    /** The directory every replica shares: a statement's chunks are found under its id by any of them. */
    static Spool shared(Path directory, long maxBytes) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the statement spool " + directory, e);
        }
        return new Spool(directory, maxBytes);
    }

    boolean isShared() {
        return owned == null;
    }

    Path root() {
        return root;
    }

    Path directory(UUID statement) {
        return root.resolve(statement.toString());
    }

    @Override
    public Output create(UUID statement, int index) throws IOException {
        Path file = chunkFile(statement, index);
        Files.createDirectories(file.getParent());
        // Written aside and renamed into place: a replica reading a shared spool sees a chunk whole or not at all.
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial));
        return new Output() {
            private boolean committed;

            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public long commit() throws IOException {
                out.close();
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                committed = true;
                return Files.size(file);
            }

            @Override
            public void close() throws IOException {
                if (!committed) {
                    out.close();
                    Files.deleteIfExists(partial);
                }
            }
        };
    }

    @Override
    public ByteString read(UUID statement, int index) throws IOException {
        try (FileChannel channel = FileChannel.open(chunkFile(statement, index), StandardOpenOption.READ)) {
            // On Linux a mapping stays valid even if the statement is closed (file deleted) meanwhile.
            return UnsafeByteOperations.unsafeWrap(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        }
    }

    private Path chunkFile(UUID statement, int index) {
        return directory(statement).resolve("chunk-" + index + ".arrows");
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
        return owned != null ? owned.bytesOnDisk() : SpoolDirectory.bytes(root);
    }

    /** Deletes a statement's files and gives its space back. */
    @Override
    public void delete(UUID statement) {
        SpoolDirectory.deleteTree(directory(statement));
        release(statement);
    }

    /** Gives back the space reserved for a statement whose files another replica deleted. */
    void release(UUID statement) {
        AtomicLong bytes = reserved.remove(statement);
        if (bytes != null) {
            used.addAndGet(-bytes.get());
        }
    }

    /** At shutdown: a private spool is deleted with its lock; a shared one stays for the other replicas. */
    void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
