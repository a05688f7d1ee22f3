package dev.sparkgateway.statement;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/** Gauges of the asynchronous statements and their spool (Prometheus at /q/metrics). */
// Eager, so the gauges are there before the first statement.
@Startup
@ApplicationScoped
public class StatementMetrics {

    public StatementMetrics(MeterRegistry registry, Statements statements) {
        for (StatementState state : StatementState.values()) {
            Gauge.builder("gateway.statements", statements, r -> r.counts().get(state))
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("Asynchronous statements held, by state").register(registry);
        }
        Gauge.builder("gateway.statements.spool", statements, Statements::spoolDiskBytes).baseUnit("bytes")
                .description("Bytes on disk in this process's statement spool directory").register(registry);
        Gauge.builder("gateway.statements.spool.reserved", statements, Statements::spoolReservedBytes)
                .baseUnit("bytes").description("Bytes of statement results reserved against spool-max-size")
                .register(registry);
    }
}
