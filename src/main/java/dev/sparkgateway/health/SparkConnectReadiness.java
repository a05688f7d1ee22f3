package dev.sparkgateway.health;

import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.session.PoolStats;
import dev.sparkgateway.session.SessionPool;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready means Spark Connect answers now: a real (cheap) RPC with a short deadline, on a session
 * of its own, so the pool's sessions are never touched by probes.
 */
@Readiness
@ApplicationScoped
public class SparkConnectReadiness implements HealthCheck {

    /** Readiness settings. */
    @ConfigMapping(prefix = "gateway.health")
    public interface HealthConfig {
        /** Deadline of the readiness RPC to Spark Connect. */
        @WithDefault("3s")
        Duration sparkTimeout();
    }

    @Inject
    SparkConnectClient client;
    @Inject
    SessionPool pool;
    @Inject
    HealthConfig config;
    private volatile ConnectSession probe;

    @PostConstruct
    void newProbe() {
        probe = ConnectSession.create(pool.defaultUser().name());
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("spark-connect").withData("endpoint", client.endpoint());
        PoolStats stats = pool.stats();
        response.withData("poolIdle", stats.idle()).withData("poolInUse", stats.inUse()).withData("poolWaiting", stats.waiting());
        try {
            return response.withData("sparkVersion", version()).up().build();
        } catch (SparkException e) {
            return response.withData("error", e.getMessage()).down().build();
        }
    }

    private String version() {
        try {
            return client.sparkVersion(probe, config.sparkTimeout());
        } catch (SparkException e) {
            if (!e.isStaleSession()) {
                throw e;
            }
            // The server restarted: the probe's session is gone with it.
            newProbe();
            return client.sparkVersion(probe, config.sparkTimeout());
        }
    }
}
