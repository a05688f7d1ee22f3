package dev.sparkgateway.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Who may call the gateway and as whom their work runs in Spark. */
@ConfigMapping(prefix = "gateway.auth")
public interface AuthConfig {

    /** {@code none} (loopback only unless quarkus.http.host is set), {@code api-key} or {@code oidc}. */
    @WithDefault("none")
    AuthMode mode();

    /**
     * JSON array of {@code {"principal", "sha256", "spark-user", "roles"}}: keys are stored only as the
     * lowercase hex SHA-256 of the key. Re-read when it changes (rotation without restart).
     */
    Optional<Path> apiKeysFile();

    /** How often the keys file is checked for changes. */
    @WithDefault("2s")
    Duration apiKeysReloadInterval();

    /** Whether {@code /q/metrics} needs credentials (health, OpenAPI and problem pages never do). */
    @WithDefault("false")
    boolean protectMetrics();

    /** The principal every caller is in {@code none} mode. */
    @WithDefault("anonymous")
    String anonymousPrincipal();

    /** Its Spark user; unset: {@code gateway.spark.user-id}. */
    Optional<String> anonymousSparkUser();

    /** Its roles: {@code admin} by default, since {@code none} mode binds to loopback. */
    @WithDefault("admin")
    List<String> anonymousRoles();
}
