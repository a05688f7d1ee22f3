package dev.sparkgateway.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Sizing of the Spark Connect session pool (per Spark Connect user, and in total). */
@ConfigMapping(prefix = "gateway.pool")
public interface PoolConfig {

    /** Clean sessions kept ready so a request never waits for session creation. */
    @WithDefault("2")
    int minIdle();

    /** Sessions one Spark user has in use at once; further requests wait up to {@link #borrowTimeout()}. */
    @WithDefault("32")
    int maxSessions();

    /** Sessions all users together have in use at once (each is state on the one Spark driver). */
    @WithDefault("256")
    int maxTotalSessions();

    /** An idle session older than this is closed on the server (Spark's own limit is 60 min). */
    @WithDefault("10m")
    Duration idleTimeout();

    /** How long a request waits for a free session before it gets 503 + Retry-After. */
    @WithDefault("30s")
    Duration borrowTimeout();

    /** How often idle sessions are checked, topped up and released. */
    @WithDefault("5s")
    Duration maintenanceInterval();
}
