package dev.sparkgateway.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Named sessions ({@code POST /v1/sessions}): how long they live and how many a principal holds. */
@ConfigMapping(prefix = "gateway.sessions")
public interface SessionsConfig {

    /**
     * A session no request used for this long ends (released on the Spark server). Keep it below
     * the server's own {@code spark.connect.session.manager.defaultSessionTimeout} (60 min), or
     * Spark ends it first and the next request finds it lost.
     */
    @WithDefault("30m")
    Duration idleTimeout();

    /** A session ends this long after it was created, however busy. */
    @WithDefault("8h")
    Duration maxLifetime();

    /** Where named sessions are recorded. */
    enum Store {
        /** This process's memory: one replica only; its sessions are released when it stops. */
        MEMORY,
        /** PostgreSQL (quarkus.datasource.*), the statements' database: any replica uses any session. */
        POSTGRESQL
    }

    /** {@code memory} or {@code postgresql}; by default where statements are ({@code gateway.statements.store}). */
    @WithDefault("${gateway.statements.store:memory}")
    Store store();

    /** Named sessions one principal holds at once; one more is refused with 429. */
    @WithDefault("10")
    int maxPerPrincipal();
}
