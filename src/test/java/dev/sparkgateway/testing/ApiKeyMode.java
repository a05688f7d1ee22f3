package dev.sparkgateway.testing;

import dev.sparkgateway.testing.ApiKeyFiles.Key;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test profile: {@code gateway.auth.mode=api-key} with one keys file for the principals of
 * ApiKeyAuthTest and QuotasTest, so both run in one app start (each profile costs a Quarkus build
 * and start). The quota roles only bind the quota principals; the auth principals see the defaults.
 */
public class ApiKeyMode implements QuarkusTestProfile {

    public static final Path FILE = Path.of("target", "test-auth", "api-key-mode-keys.json").toAbsolutePath();

    // ApiKeyAuthTest: analysts, one with a Spark user of its own, and an admin.
    public static final Key ALICE = new Key("alice-key-1", "alice", null, List.of("analyst"));
    public static final Key BOB = new Key("bob-key-1", "bob", "bob_spark", List.of("analyst"));
    public static final Key ROOT = new Key("root-key-1", "root", null, List.of("admin"));

    // QuotasTest: admins (whose SQL needs no policy extension) with the extra role whose quota is probed.
    public static final Key SLOW = new Key("slow-key", "slow", null, List.of("admin", "slow"));
    public static final Key CAPPED = new Key("capped-key", "capped", null, List.of("admin", "capped"));
    public static final Key SMALL = new Key("small-key", "small", null, List.of("admin", "small"));
    public static final Key TIMED = new Key("timed-key", "timed", null, List.of("admin", "timed"));
    public static final Key OTHER = new Key("other-key", "other", null, List.of("admin"));

    /** Every key of the file as the app starts. */
    public static final List<Key> KEYS = List.of(ALICE, BOB, ROOT, SLOW, CAPPED, SMALL, TIMED, OTHER);

    /** Rewrites the keys file: all keys but ALICE's, plus {@code alice} (her keys during a rotation). */
    public static void writeAliceKeys(List<Key> alice) {
        List<Key> keys = new java.util.ArrayList<>(alice);
        KEYS.stream().filter(k -> k != ALICE).forEach(keys::add);
        ApiKeyFiles.write(FILE, keys);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        ApiKeyFiles.write(FILE, KEYS);
        Map<String, String> config = new HashMap<>(Map.of("gateway.auth.mode", "api-key",
                "gateway.auth.api-keys-file", FILE.toString(),
                // Key rotation is seen within a poll or two.
                "gateway.auth.api-keys-reload-interval", "100ms"));
        // Admins are unthrottled by default; here only the extra roles decide.
        config.put("gateway.quotas.roles.admin.requests-per-second", "");
        config.put("gateway.quotas.roles.admin.max-running-statements", "");
        config.put("gateway.quotas.roles.admin.max-running-queries", "");
        // One token every 20 s: none comes back while the test runs, however slow the machine.
        config.put("gateway.quotas.roles.slow.requests-per-second", "0.05");
        config.put("gateway.quotas.roles.slow.burst", "2");
        config.put("gateway.quotas.roles.capped.max-rows", "5");
        config.put("gateway.quotas.roles.timed.max-running-statements", "1");
        config.put("gateway.quotas.roles.timed.max-running-queries", "1");
        config.put("gateway.quotas.roles.timed.statement-timeout", "3s");
        config.put("gateway.quotas.roles.small.max-result-bytes", "200K");
        return config;
    }
}
