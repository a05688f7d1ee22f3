package dev.sparkgateway.statement;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One gateway process's spool directory, {@code spool-<pid>-<random>} under the configured parent,
 * with a lock file ({@value #LOCK}, naming the owner) locked for the process's lifetime. The
 * kernel drops the lock when the process dies, however it dies ({@code kill -9} included), so a
 * gateway starting later tells a dead owner's directory (lock free) from a live one's (another
 * gateway sharing the parent: lock taken) and deletes only the former. Pids alone would not do:
 * every container's gateway may be pid 1.
 */
final class SpoolDirectory implements AutoCloseable {

    static final String PREFIX = "spool-";
    static final String LOCK = "owner.lock";

    private static final Logger LOG = Logger.getLogger(SpoolDirectory.class);
    private static final Pattern CHUNK = Pattern.compile("chunk-\\d+\\.arrows(\\.partial)?");
    // Lock files this JVM holds. The scan never opens them: closing any channel of a file drops the
    // process's (fcntl) locks on it, so checking our own lock would release it.
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path lockFile;
    private final FileChannel channel;

    private SpoolDirectory(Path path, Path lockFile, FileChannel channel) {
        this.path = path;
        this.lockFile = lockFile;
        this.channel = channel;
    }

    /** What a start-up scan removed. */
    record Removed(int directories, long bytes) {
    }

    /** Creates and locks a fresh directory for this process under {@code parent}. */
    static SpoolDirectory create(Path parent) {
        try {
            Files.createDirectories(parent);
            long pid = ProcessHandle.current().pid();
            byte[] random = new byte[6];
            new SecureRandom().nextBytes(random);
            Path dir = Files.createDirectory(parent.resolve(PREFIX + pid + "-" + HexFormat.of().formatHex(random)));
            Path lockFile = dir.resolve(LOCK);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new IOException("another process locked the fresh " + lockFile);
                }
                channel.write(ByteBuffer.wrap(("pid " + pid + " on " + host() + " since " + Instant.now() + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            HELD.add(key(lockFile));
            return new SpoolDirectory(dir, lockFile, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the statement spool under " + parent, e);
        }
    }

    Path path() {
        return path;
    }

    /** Bytes of the files in this directory now. */
    long bytesOnDisk() {
        return bytes(path);
    }

    /** Deletes the directory and lets go of its lock. */
    @Override
    public void close() {
        deleteTree(path);
        HELD.remove(key(lockFile));
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debugf("cannot close %s: %s", lockFile, e.getMessage());
        }
    }

    /**
     * Deletes the spool directories under {@code parent} whose owner is gone: their lock file can be
     * locked. One without a lock file belongs to a gateway from before these locks (perhaps still
     * running) or to one that died while creating it; it is deleted only if it holds nothing but
     * statement chunks and nothing in it changed for {@code unlockedGrace}: a live gateway deletes
     * its results within the result TTL, so pass more than that. Anything else is left alone.
     */
    static Removed removeOrphans(Path parent, Duration unlockedGrace) {
        int directories = 0;
        long bytes = 0;
        if (!Files.isDirectory(parent)) {
            return new Removed(0, 0);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : entries) {
                long freed = removeIfOrphaned(dir, unlockedGrace);
                if (freed >= 0) {
                    directories++;
                    bytes += freed;
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot scan the statement spool directory %s for leftovers: %s", parent, e.getMessage());
        }
        return new Removed(directories, bytes);
    }

    /** The bytes freed, or -1 when {@code dir} was kept. */
    private static long removeIfOrphaned(Path dir, Duration unlockedGrace) {
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        Path lockFile = dir.resolve(LOCK);
        if (HELD.contains(key(lockFile))) {
            return -1;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            if (channel.tryLock() == null) {
                return -1; // its owner lives
            }
            // Ours now: a gateway starting at the same time sees the lock taken and keeps away.
            long freed = bytes(dir);
            deleteTree(dir);
            return freed;
        } catch (NoSuchFileException e) {
            return unlockedLeftover(dir, unlockedGrace) ? deleteCounting(dir) : -1;
        } catch (OverlappingFileLockException | IOException e) {
            LOG.debugf("keeping %s: %s", dir, e.getMessage());
            return -1;
        }
    }

    private static long deleteCounting(Path dir) {
        long freed = bytes(dir);
        deleteTree(dir);
        return freed;
    }

    /** No lock file: a leftover only if it holds nothing but {@code <statement uuid>/chunk-<n>.arrows}, all stale. */
    private static boolean unlockedLeftover(Path dir, Duration grace) {
        Instant cutoff = Instant.now().minus(grace);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.allMatch(p -> {
                if (modified(p).isAfter(cutoff)) {
                    return false;
                }
                Path relative = dir.relativize(p);
                if (p.equals(dir)) {
                    return true;
                }
                if (relative.getNameCount() == 1) {
                    return Files.isDirectory(p) && isUuid(relative.toString());
                }
                return relative.getNameCount() == 2 && CHUNK.matcher(relative.getFileName().toString()).matches();
            });
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isUuid(String name) {
        try {
            return UUID.fromString(name).toString().equals(name);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static long bytes(Path dir) {
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    total.addAndGet(attributes.size());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Deleted meanwhile (a statement closed during the walk).
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debugf("cannot measure %s: %s", dir, e.getMessage());
        }
        return total.get();
    }

    static void deleteTree(Path dir) {
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
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf("cannot delete %s: %s", dir, e.getMessage());
        }
    }

    private static Path key(Path lockFile) {
        return lockFile.toAbsolutePath().normalize();
    }

    /** For people reading the lock file; from the environment, since a DNS lookup may hang. */
    private static String host() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "an unnamed host" : host;
    }
}
