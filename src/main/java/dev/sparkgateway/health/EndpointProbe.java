package dev.sparkgateway.health;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.connect.SparkEndpoint;
import dev.sparkgateway.connect.SparkEndpoints;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.session.SessionPool;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks every Spark Connect endpoint whether it answers (a cheap RPC with a short deadline, on a
 * session of its own per endpoint, so the pool's sessions are never touched by probes) and records
 * the answer in {@link SparkEndpoints}, where the pool reads it: every
 * {@code gateway.health.probe-interval} and at each readiness check.
 */
@ApplicationScoped
public class EndpointProbe {

    /** One endpoint's answer: Spark's version, or why it did not answer. */
    public record Check(SparkEndpoint endpoint, Optional<String> sparkVersion, Optional<String> error) {
        public boolean up() {
            return sparkVersion.isPresent();
        }
    }

    private final SparkConnectClient client;
    private final SparkEndpoints endpoints;
    private final SessionPool pool;
    private final SparkConnectReadiness.HealthConfig config;
    private final Map<String, ConnectSession> probes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("spark-endpoint-probe").setDaemon(true).build());

    public EndpointProbe(SparkConnectClient client, SparkEndpoints endpoints, SessionPool pool,
            SparkConnectReadiness.HealthConfig config) {
        this.client = client;
        this.endpoints = endpoints;
        this.pool = pool;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        long every = config.probeInterval().toMillis();
        timer.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    /** Probes every endpoint now, one after the other, and records the answers. */
    public List<Check> checkAll() {
        return endpoints.all().stream().map(this::check).toList();
    }

    private Check check(SparkEndpoint endpoint) {
        try {
            String version = version(endpoint.name());
            endpoints.markUp(endpoint.name());
            return new Check(endpoint, Optional.of(version), Optional.empty());
        } catch (SparkException e) {
            // A probe cut short by shutdown says nothing about the endpoint.
            if (!Thread.currentThread().isInterrupted() && !timer.isShutdown()) {
                endpoints.markDown(endpoint.name(), e.getMessage());
            }
            return new Check(endpoint, Optional.empty(), Optional.of(e.getMessage()));
        } catch (RuntimeException e) {
            // Never let one endpoint's odd failure stop the timer or the readiness answer.
            endpoints.markDown(endpoint.name(), e.toString());
            return new Check(endpoint, Optional.empty(), Optional.of(e.toString()));
        }
    }

    private String version(String endpoint) {
        ConnectSession probe = probes.computeIfAbsent(endpoint, this::newProbe);
        try {
            return client.sparkVersion(probe, config.sparkTimeout());
        } catch (SparkException e) {
            if (!e.isStaleSession()) {
                throw e;
            }
            // The server restarted: the probe's session is gone with it.
            probe = newProbe(endpoint);
            probes.put(endpoint, probe);
            return client.sparkVersion(probe, config.sparkTimeout());
        }
    }

    private ConnectSession newProbe(String endpoint) {
        return ConnectSession.create(endpoint, pool.defaultUser().name());
    }
}
