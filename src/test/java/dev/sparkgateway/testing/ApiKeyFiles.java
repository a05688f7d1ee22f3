package dev.sparkgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Writes API keys files as an operator would: hashes only, replaced atomically. */
public final class ApiKeyFiles {

    /** One key: who owns it, which Spark user it runs as, its roles. */
    public record Key(String key, String principal, String sparkUser, List<String> roles) {
    }

    private ApiKeyFiles() {
    }

    public static Path write(Path file, List<Key> keys) {
        String json = keys.stream().map(k -> "{\"principal\": \"" + k.principal() + "\", \"sha256\": \"" + sha256(k.key())
                + "\"" + (k.sparkUser() == null ? "" : ", \"spark-user\": \"" + k.sparkUser() + "\"")
                + ", \"roles\": [" + k.roles().stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", ")) + "]}")
                .collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "keys", ".tmp");
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
