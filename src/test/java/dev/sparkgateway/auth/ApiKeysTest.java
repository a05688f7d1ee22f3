package dev.sparkgateway.auth;

import dev.sparkgateway.testing.ApiKeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys file: hashes only, validation that names the entry, reload on change. */
class ApiKeysTest {

    @TempDir
    Path dir;

    @Test
    void findsThePrincipalOfAKeyAndDefaultsItsSparkUser() {
        Path file = ApiKeyFiles.write(dir.resolve("keys.json"), List.of(
                new ApiKeyFiles.Key("k-alice", "alice", null, List.of("analyst")),
                new ApiKeyFiles.Key("k-bob", "bob", "bob_spark", List.of())));
        ApiKeys keys = new ApiKeys(file, Duration.ofHours(1));
        assertEquals(Optional.of(new Principal("alice", "alice", Set.of("analyst"))), keys.find("k-alice"));
        assertEquals("bob_spark", keys.find("k-bob").orElseThrow().sparkUser());
        assertEquals(Optional.empty(), keys.find("k-alic"));
        assertEquals(Optional.empty(), keys.find(""));
        assertEquals(2, keys.principals());
    }

    @Test
    void invalidFilesAreRefusedWithoutEchoingHashes() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "[{\"principal\": \"alice\", \"sha256\": \"ABCDEF\"}]");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ApiKeys(file, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("entry 0 (principal alice)"), e.getMessage());
        assertFalse(e.getMessage().contains("ABCDEF"), e.getMessage());

        Files.writeString(file, "{\"principal\": \"alice\"}");
        assertTrue(assertThrows(IllegalStateException.class, () -> new ApiKeys(file, Duration.ofSeconds(1)))
                .getMessage().contains("JSON array"));
        String hash = ApiKeyFiles.sha256("k");
        Files.writeString(file, "[{\"principal\": \"a\", \"sha256\": \"" + hash + "\"}, {\"principal\": \"b\", \"sha256\": \"" + hash + "\"}]");
        assertTrue(assertThrows(IllegalStateException.class, () -> new ApiKeys(file, Duration.ofSeconds(1)))
                .getMessage().contains("listed twice"));
        assertTrue(assertThrows(IllegalStateException.class, () -> new ApiKeys(dir.resolve("missing.json"), Duration.ofSeconds(1)))
                .getMessage().contains("cannot be read"));
    }

    @Test
    void aChangedFileIsReloadedAndABrokenOneKeepsTheOldKeys() throws IOException {
        Path file = ApiKeyFiles.write(dir.resolve("keys.json"), List.of(new ApiKeyFiles.Key("old", "alice", null, List.of())));
        ApiKeys keys = new ApiKeys(file, Duration.ZERO);
        ApiKeyFiles.write(file, List.of(new ApiKeyFiles.Key("old", "alice", null, List.of()),
                new ApiKeyFiles.Key("new", "alice", null, List.of())));
        touch(file, 1);
        assertTrue(keys.find("new").isPresent(), "new key valid after rotation");
        assertTrue(keys.find("old").isPresent(), "old key valid while both are listed");

        ApiKeyFiles.write(file, List.of(new ApiKeyFiles.Key("new", "alice", null, List.of())));
        touch(file, 2);
        assertTrue(keys.find("old").isEmpty(), "old key revoked");

        Files.writeString(file, "[not json");
        touch(file, 3);
        assertTrue(keys.find("new").isPresent(), "a broken file keeps the keys loaded before");
    }

    /** Distinct modification times even on file systems with coarse timestamps. */
    private static void touch(Path file, int step) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(step)));
    }
}
