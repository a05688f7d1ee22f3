package dev.sparkgateway.health;

import dev.sparkgateway.session.EndpointStats;
import dev.sparkgateway.session.PoolStats;
import dev.sparkgateway.session.SessionPool;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.List;

/**
 * Ready means at least one Spark Connect endpoint answers now (the others only stop getting new
 * sessions): each is probed live by {@link EndpointProbe}, and each is listed with its state.
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

        /** How often every Spark Connect endpoint is probed in the background (readiness checks probe too). */
        @WithDefault("5s")
        Duration probeInterval();
    }

    @Inject
    EndpointProbe probe;
    @Inject
    SessionPool pool;

    @Override
    public HealthCheckResponse call() {
        List<EndpointProbe.Check> checks = probe.checkAll();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("spark-connect");
        PoolStats stats = pool.stats();
        response.withData("poolIdle", stats.idle()).withData("poolInUse", stats.inUse()).withData("poolWaiting", stats.waiting());
        boolean anyUp = false;
        for (EndpointProbe.Check check : checks) {
            String key = "endpoint." + check.endpoint().name();
            EndpointStats sessions = pool.stats(check.endpoint().name());
            response.withData(key, check.endpoint().address().display())
                    .withData(key + ".status", check.up() ? "UP" : "DOWN")
                    .withData(key + ".sessions", sessions.open());
            check.sparkVersion().ifPresent(v -> response.withData(key + ".sparkVersion", v));
            check.error().ifPresent(e -> response.withData(key + ".error", e));
            if (check.up() && !anyUp) {
                anyUp = true;
                response.withData("sparkVersion", check.sparkVersion().get());
            }
        }
        if (checks.size() == 1) {
            // The single-server form, as before endpoints existed.
            EndpointProbe.Check only = checks.get(0);
            response.withData("endpoint", only.endpoint().address().display());
            only.error().ifPresent(e -> response.withData("error", e));
        }
        return anyUp ? response.up().build() : response.down().build();
    }
}
