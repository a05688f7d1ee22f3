package dev.sparkgateway.observe;

import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.connect.SparkEndpoints;
import dev.sparkgateway.session.SessionPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import java.time.Duration;

/**
 * The gateway's own meters (Prometheus at /q/metrics), next to Quarkus' HTTP server metrics:
 * statements by endpoint/format/outcome (statement/StatementMetrics has the asynchronous statements), their latency, rows and bytes streamed, the session pool
 * (by Spark Connect endpoint), whether each endpoint is up, and Spark errors by error class.
 */
// Eager, so the gauges are there before the first statement.
@Startup
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry, SessionPool pool, SparkConnectClient client, SparkEndpoints endpoints) {
        this.registry = registry;
        for (String endpoint : endpoints.names()) {
            Gauge.builder("gateway.pool.sessions", pool, p -> p.stats(endpoint).idle()).tags("endpoint", endpoint, "state", "idle")
                    .description("Spark Connect sessions in the pool").register(registry);
            Gauge.builder("gateway.pool.sessions", pool, p -> p.stats(endpoint).inUse()).tags("endpoint", endpoint, "state", "in_use")
                    .description("Spark Connect sessions in the pool").register(registry);
            Gauge.builder("gateway.pool.waiting", pool, p -> p.stats(endpoint).waiting()).tag("endpoint", endpoint)
                    .description("Requests waiting for a session").register(registry);
            Gauge.builder("gateway.spark.endpoint.up", endpoints, e -> e.isUp(endpoint) ? 1 : 0).tag("endpoint", endpoint)
                    .description("1 while the Spark Connect endpoint answers probes and calls, else 0").register(registry);
        }
        Gauge.builder("gateway.pool.discarded", pool, p -> p.stats().discarded())
                .description("Sessions closed on the server (dirty, stale or idle)").register(registry);
        FunctionCounter.builder("gateway.spark.reattaches", client, SparkConnectClient::reattaches)
                .description("Spark Connect streams resumed with ReattachExecute").register(registry);
    }

    /** One finished statement; {@code outcome} is "ok" or the problem type's slug. */
    public void statement(String endpoint, String format, int status, Duration duration, long rows, long bytes) {
        String outcome = Integer.toString(status);
        Timer.builder("gateway.statement.duration").description("Statement time, from request to last byte")
                .tags("endpoint", endpoint, "format", format, "status", outcome)
                .publishPercentileHistogram()
                .register(registry).record(duration);
        Counter.builder("gateway.result.rows").description("Rows streamed to clients")
                .tags("endpoint", endpoint, "format", format).register(registry).increment(rows);
        DistributionSummary.builder("gateway.result.bytes").baseUnit("bytes").description("Response body bytes streamed")
                .tags("endpoint", endpoint, "format", format).register(registry).record(bytes);
    }

    public void sparkError(String errorClass) {
        Counter.builder("gateway.spark.errors").description("Errors reported by Spark, by error class")
                .tag("error_class", errorClass).register(registry).increment();
    }
}
