package dev.sparkgateway.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.observe.LogThrottle;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys of {@code gateway.auth.api-keys-file}, held only as SHA-256 hashes and re-read when
 * the file changes, so keys rotate without a restart (two keys of one principal may be valid at
 * once). A file that became unreadable or invalid keeps the keys last loaded, with a warning.
 */
public final class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One entry of the keys file. */
    record Entry(@JsonProperty("principal") String principal, @JsonProperty("sha256") String sha256,
            @JsonProperty("spark-user") String sparkUser, @JsonProperty("roles") List<String> roles) {
    }

    private record Key(byte[] hash, Principal principal) {
    }

    /** What identifies a version of the file without reading it. */
    private record Stamp(long modifiedMillis, long size, Object fileKey) {
    }

    private final Path file;
    private final long reloadIntervalNanos;
    private final LogThrottle warnings = new LogThrottle(Duration.ofMinutes(1));
    private volatile List<Key> keys;
    private volatile long checkedNanos;
    private Stamp stamp;

    /** Loads {@code file}; fails with a message naming the problem if it is missing or invalid. */
    public ApiKeys(Path file, Duration reloadInterval) {
        this.file = Objects.requireNonNull(file, "file is null");
        this.reloadIntervalNanos = reloadInterval.toNanos();
        try {
            this.stamp = stamp(file);
            this.keys = parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException("gateway.auth.api-keys-file " + file + " cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("gateway.auth.api-keys-file " + file + " is invalid: " + e.getMessage(), e);
        }
        this.checkedNanos = System.nanoTime();
    }

    /**
     * The principal owning {@code key}, if any. Every stored hash is compared, in constant time, so
     * the answer's timing says nothing about which hash came close.
     */
    public Optional<Principal> find(String key) {
        reloadIfChanged();
        byte[] hash = sha256(key);
        Principal found = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(k.hash(), hash)) {
                found = k.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Principals with at least one key, for the startup line. */
    public int principals() {
        return (int) keys.stream().map(k -> k.principal().name()).distinct().count();
    }

    public int size() {
        return keys.size();
    }

    public Path file() {
        return file;
    }

    private void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - checkedNanos < reloadIntervalNanos) {
            return;
        }
        synchronized (this) {
            if (now - checkedNanos < reloadIntervalNanos) {
                return;
            }
            checkedNanos = now;
            try {
                Stamp current = stamp(file);
                if (current.equals(stamp)) {
                    return;
                }
                List<Key> loaded = parse(Files.readAllBytes(file));
                keys = loaded;
                stamp = current;
                LOG.infof("API keys reloaded from %s: %d key(s) of %d principal(s)", file, loaded.size(), principals());
            } catch (IOException | IllegalArgumentException e) {
                if (warnings.admit("reload") >= 0) {
                    LOG.warnf("API keys file %s could not be reloaded (%s); the %d key(s) loaded before stay valid",
                            file, e.getMessage(), keys.size());
                }
            }
        }
    }

    private static Stamp stamp(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
    }

    /** Parses and validates the file; errors name the entry but never echo a hash. */
    static List<Key> parse(byte[] content) {
        List<Entry> entries;
        try {
            entries = JSON.readValue(content, new TypeReference<List<Entry>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("expected a JSON array of {\"principal\", \"sha256\", \"spark-user\", \"roles\"}: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (entries == null) {
            throw new IllegalArgumentException("expected a JSON array, found null");
        }
        List<Key> keys = new ArrayList<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String where = "entry " + i;
            if (entry == null || entry.principal() == null || entry.principal().isBlank()) {
                throw new IllegalArgumentException(where + " has no \"principal\"");
            }
            where += " (principal " + entry.principal() + ")";
            if (entry.sha256() == null || !SHA256_HEX.matcher(entry.sha256()).matches()) {
                throw new IllegalArgumentException(where + ": \"sha256\" must be the lowercase hex SHA-256 of the key"
                        + " (64 characters, e.g. printf %s \"$KEY\" | sha256sum)");
            }
            if (!hashes.add(entry.sha256())) {
                throw new IllegalArgumentException(where + ": the same key is listed twice");
            }
            String sparkUser = entry.sparkUser() == null || entry.sparkUser().isBlank() ? entry.principal() : entry.sparkUser();
            List<String> roles = entry.roles() == null ? List.of() : entry.roles();
            keys.add(new Key(HexFormat.of().parseHex(entry.sha256()), new Principal(entry.principal(), sparkUser, Set.copyOf(roles))));
        }
        return List.copyOf(keys);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
