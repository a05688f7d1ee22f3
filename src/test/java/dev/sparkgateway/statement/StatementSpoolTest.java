package dev.sparkgateway.statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which spool directories a starting gateway deletes: those whose owner process is gone, never a
 * live one's. The live owner is a real second JVM (file locks are per process), killed with SIGKILL.
 */
class StatementSpoolTest {

    private static final Duration GRACE = Duration.ofMinutes(61);

    @TempDir
    Path parent;

    /** A gateway stand-in: takes a spool directory as the gateway does, writes a chunk, prints the path, waits. */
    public static final class Owner {
        public static void main(String[] args) throws IOException {
            SpoolDirectory dir = SpoolDirectory.create(Path.of(args[0]));
            Path statement = Files.createDirectory(dir.path().resolve(UUID.randomUUID().toString()));
            Files.write(statement.resolve("chunk-0.arrows"), new byte[4096]);
            System.out.println(dir.path());
            System.out.flush();
            // Until killed (or the test JVM's end closes stdin).
            while (System.in.read() >= 0) {
                // nothing
            }
        }
    }

    @Test
    void aLiveOwnersDirectoryIsKeptAndRemovedOnceItIsKilled() throws Exception {
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Owner.class.getName(), parent.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            Path owned = Path.of(new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))
                    .readLine());
            assertTrue(owned.getFileName().toString().startsWith("spool-" + owner.pid() + "-"), owned.toString());
            assertTrue(Files.readString(owned.resolve(SpoolDirectory.LOCK)).startsWith("pid " + owner.pid() + " on "));

            assertEquals(new SpoolDirectory.Removed(0, 0), SpoolDirectory.removeOrphans(parent, GRACE));
            assertTrue(Files.exists(owned.resolve(SpoolDirectory.LOCK)), "a live owner's directory stays");

            long bytes = SpoolDirectory.bytes(owned);
            owner.destroyForcibly();
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.isDirectory(owned), "SIGKILL leaves the directory behind");
            assertEquals(new SpoolDirectory.Removed(1, bytes), SpoolDirectory.removeOrphans(parent, GRACE));
            assertFalse(Files.exists(owned));
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void directoriesOfThisProcessAreKept() {
        try (SpoolDirectory a = SpoolDirectory.create(parent); SpoolDirectory b = SpoolDirectory.create(parent)) {
            assertEquals(new SpoolDirectory.Removed(0, 0), SpoolDirectory.removeOrphans(parent, GRACE));
            assertTrue(Files.exists(a.path().resolve(SpoolDirectory.LOCK)));
            assertTrue(Files.exists(b.path().resolve(SpoolDirectory.LOCK)));
        }
        assertEquals(0, parent.toFile().list().length, "closing deletes them");
    }

    @Test
    void anUnlockedDirectoryIsRemovedOnlyIfItHoldsOnlyChunksAndNothingChangedForTheGrace() throws IOException {
        Path old = leftover("spool-4242", "chunk-0.arrows", 1000);
        Path fresh = leftover("spool-4343", "chunk-0.arrows", 1000);
        Path written = leftover("spool-4646", "chunk-0.arrows", 1000);
        Path foreign = leftover("spool-4444", "notes.txt", 10);
        Path unrelated = leftover("cache-4545", "chunk-0.arrows", 10);
        for (Path dir : new Path[] {old, written, foreign, unrelated}) {
            age(dir);
        }
        try (Stream<Path> chunks = Files.walk(written)) {
            Files.setLastModifiedTime(chunks.filter(Files::isRegularFile).findFirst().orElseThrow(), FileTime.from(Instant.now()));
        }
        assertEquals(new SpoolDirectory.Removed(1, 1000), SpoolDirectory.removeOrphans(parent, GRACE));
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(fresh), "its owner may be creating its lock right now, or be an older live gateway");
        assertTrue(Files.exists(written), "a chunk was written lately: an older gateway may still run");
        assertTrue(Files.exists(foreign), "not a spool's content");
        assertTrue(Files.exists(unrelated), "not a spool's name");
    }

    /** Everything in {@code dir} last changed before the grace. */
    private static void age(Path dir) throws IOException {
        FileTime before = FileTime.from(Instant.now().minus(GRACE).minusSeconds(60));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, before);
            }
        }
    }

    @Test
    void aStatementsFilesAreCountedAndDeleted() throws IOException {
        Spool spool = new Spool(parent, 1 << 20, GRACE);
        try {
            UUID id = UUID.randomUUID();
            Files.createDirectories(spool.directory(id));
            Files.write(spool.directory(id).resolve("chunk-0.arrows"), new byte[5000]);
            spool.reserve(id, 5000);
            long lock = Files.size(spool.root().resolve(SpoolDirectory.LOCK));
            assertEquals(5000 + lock, spool.onDisk());
            assertEquals(5000, spool.reserved());
            spool.delete(id);
            assertFalse(Files.exists(spool.directory(id)));
            assertEquals(lock, spool.onDisk());
            assertEquals(0, spool.reserved());
        } finally {
            spool.close();
        }
        assertFalse(Files.exists(spool.root()));
    }

    private Path leftover(String name, String file, int bytes) throws IOException {
        Path statement = Files.createDirectories(parent.resolve(name).resolve(UUID.randomUUID().toString()));
        Files.write(statement.resolve(file), new byte[bytes]);
        return parent.resolve(name);
    }
}
