package dev.sparkgateway.quota;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one principal may use, by role. The top-level values apply to every principal; a role's
 * entry under {@code roles."<role>"} overrides them for its members, and a principal with several
 * roles gets, per setting, the most generous value its roles set. Everywhere {@code 0} means unlimited.
 */
@ConfigMapping(prefix = "gateway.quotas")
public interface QuotaConfig {

    /** Sustained requests per second of one principal (token bucket refill rate). */
    @WithDefault("20")
    double requestsPerSecond();

    /** Requests one principal may send at once above the rate (token bucket size, at least 1). */
    @WithDefault("40")
    int burst();

    /** Asynchronous statements one principal may have running or pending at once. */
    @WithDefault("8")
    int maxRunningStatements();

    /** Synchronous queries (/v1/sql, /v1/dataframe, /v1/plan) one principal may have running at once. */
    @WithDefault("8")
    int maxRunningQueries();

    /** Largest row limit a request may ask for; a request without one, or with a larger one, is capped (truncated). */
    @WithDefault("0")
    long maxRows();

    /** Arrow bytes one result may carry; a result reaching it ends at a batch boundary, truncated. */
    @WithDefault("0")
    MemorySize maxResultBytes();

    /** Longest one statement may run (synchronous: the smaller of this and gateway.query.timeout). */
    @WithDefault("0s")
    Duration statementTimeout();

    /** Per-role overrides, e.g. {@code gateway.quotas.roles.analyst.requests-per-second=5}. */
    Map<String, Role> roles();

    /** A role's overrides; unset ones leave the setting to the principal's other roles or the default. */
    interface Role {
        OptionalDouble requestsPerSecond();

        OptionalInt burst();

        OptionalInt maxRunningStatements();

        OptionalInt maxRunningQueries();

        OptionalLong maxRows();

        Optional<MemorySize> maxResultBytes();

        Optional<Duration> statementTimeout();
    }
}
