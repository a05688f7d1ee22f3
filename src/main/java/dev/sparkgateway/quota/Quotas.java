package dev.sparkgateway.quota;

import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.error.LimitExceededException;
import dev.sparkgateway.query.Cancellation;
import dev.sparkgateway.statement.StatementTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Each principal's quota, from its roles ({@link QuotaConfig}), and the per-principal state it is
 * checked against: request rate and synchronous queries running. Everything is keyed by the
 * principal, so one principal over its quota never holds up another.
 */
@ApplicationScoped
public class Quotas {

    /** No finer estimate for a running-query slot: synchronous queries are short, or bounded by a timeout. */
    private static final Duration QUERY_RETRY_AFTER = Duration.ofSeconds(1);

    private final Quota defaults;
    private final Map<String, Quota.Override> roles;
    private final RateLimiter rates = new RateLimiter(System::nanoTime);
    private final Map<String, Integer> runningQueries = new ConcurrentHashMap<>();

    public Quotas(QuotaConfig config) {
        this.defaults = new Quota(config.requestsPerSecond(), config.burst(), config.maxRunningStatements(),
                config.maxRunningQueries(), config.maxRows(), config.maxResultBytes().asLongValue(), config.statementTimeout(),
                Set.of());
        this.roles = config.roles().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> {
            QuotaConfig.Role r = e.getValue();
            return new Quota.Override(r.requestsPerSecond(), r.burst(), r.maxRunningStatements(), r.maxRunningQueries(),
                    r.maxRows(), r.maxResultBytes().map(m -> OptionalLong.of(m.asLongValue()))
                    .orElse(OptionalLong.empty()), r.statementTimeout());
        }));
        // Fail at start on a negative value rather than at the first request of a principal with that role.
        roles.keySet().forEach(role -> of(Set.of(role)));
    }

    public Quota of(Principal principal) {
        return of(principal.roles());
    }

    private Quota of(Set<String> principalRoles) {
        return Quota.forRoles(defaults, roles, principalRoles);
    }

    /** Counts one request against the principal's rate; throws RATE when it has none left. */
    public void request(Principal principal) {
        Quota quota = of(principal);
        if (!quota.rateLimited()) {
            return;
        }
        long wait = rates.acquire(principal.name(), quota.requestsPerSecond(), quota.burst());
        if (wait > 0) {
            throw new LimitExceededException(LimitExceededException.Reason.RATE, principal.name() + " sent more than "
                    + rate(quota.requestsPerSecond()) + " requests per second (burst " + quota.burst() + "), its quota ("
                    + quota.source("requests-per-second") + "); the next request is admitted in "
                    + Duration.ofNanos(wait).toMillis() + " ms", Duration.ofNanos(wait));
        }
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }

    /**
     * Takes one of the principal's running-query slots; the returned action gives it back (once,
     * however often it runs). Throws RUNNING when all are taken.
     */
    public Runnable startQuery(Principal principal) {
        int max = of(principal).maxRunningQueries();
        if (max == 0) {
            return () -> { };
        }
        String name = principal.name();
        AtomicBoolean refused = new AtomicBoolean();
        runningQueries.compute(name, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                refused.set(true);
                return n;
            }
            return now + 1;
        });
        if (refused.get()) {
            throw new LimitExceededException(LimitExceededException.Reason.RUNNING, name + " has " + max
                    + " queries running, its quota (" + of(principal).source("max-running-queries") + "); retry when one"
                    + " of them has ended, or submit long queries to /v1/statements", QUERY_RETRY_AFTER);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                // Dropped at zero, so the map holds only principals with queries running.
                runningQueries.computeIfPresent(name, (k, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    /**
     * Starts a synchronous query in one of the principal's running-query slots, held until
     * {@code cancellation} closes (its result has been streamed, or it failed).
     */
    public <T> T runQuery(Principal principal, Cancellation cancellation, Supplier<T> start) {
        cancellation.onClose(startQuery(principal));
        try {
            return start.get();
        } catch (RuntimeException | Error e) {
            cancellation.close();
            throw e;
        }
    }

    /** What the principal's statements get: its running cap and each one's limits. */
    public StatementTask.OwnerQuota statements(Principal principal) {
        Quota quota = of(principal);
        OptionalInt max = quota.runningStatements();
        return new StatementTask.OwnerQuota(max, quota.source("max-running-statements"), quota.queryLimits());
    }
}
