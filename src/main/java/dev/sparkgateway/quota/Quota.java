package dev.sparkgateway.quota;

import dev.sparkgateway.query.QueryLimits;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * The limits of one principal, {@code 0} (or {@link Duration#ZERO}) meaning unlimited.
 *
 * @param requestsPerSecond    token bucket refill rate
 * @param burst                token bucket size
 * @param maxRunningStatements asynchronous statements running or pending at once
 * @param maxRunningQueries    synchronous queries running at once
 * @param maxRows              largest row limit
 * @param maxResultBytes       Arrow bytes of one result
 * @param statementTimeout     longest run of one statement
 * @param roles                the roles it was resolved for, to name them in errors
 */
public record Quota(double requestsPerSecond, int burst, int maxRunningStatements, int maxRunningQueries, long maxRows,
        long maxResultBytes, Duration statementTimeout, Set<String> roles) {

    public Quota {
        Objects.requireNonNull(statementTimeout, "statementTimeout is null");
        if (requestsPerSecond < 0 || burst < 0 || maxRunningStatements < 0 || maxRunningQueries < 0 || maxRows < 0
                || maxResultBytes < 0 || statementTimeout.isNegative()) {
            throw new IllegalArgumentException("quotas are 0 (unlimited) or positive: " + this);
        }
        roles = Set.copyOf(roles);
    }

    /**
     * A role's overrides; empty values leave the setting alone.
     */
    public record Override(OptionalDouble requestsPerSecond, OptionalInt burst, OptionalInt maxRunningStatements,
            OptionalInt maxRunningQueries, OptionalLong maxRows, OptionalLong maxResultBytes, Optional<Duration> statementTimeout) {

        public static final Override NONE = new Override(OptionalDouble.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }

    /**
     * The quota of a principal with {@code principalRoles}: per setting, the most generous value among
     * those roles that set it (unlimited beats any number), else the default.
     */
    public static Quota forRoles(Quota defaults, Map<String, Override> overrides, Set<String> principalRoles) {
        var mine = principalRoles.stream().map(overrides::get).filter(Objects::nonNull).toList();
        BinaryOperator<Double> rate = (a, b) -> a == 0 || b == 0 ? 0 : Math.max(a, b);
        BinaryOperator<Long> count = (a, b) -> a == 0 || b == 0 ? 0 : Math.max(a, b);
        double rps = pick(mine, o -> box(o.requestsPerSecond()), rate, defaults.requestsPerSecond);
        long burst = pick(mine, o -> box(o.burst()), Math::max, (long) defaults.burst);
        long statements = pick(mine, o -> box(o.maxRunningStatements()), count, (long) defaults.maxRunningStatements);
        long queries = pick(mine, o -> box(o.maxRunningQueries()), count, (long) defaults.maxRunningQueries);
        long rows = pick(mine, o -> box(o.maxRows()), count, defaults.maxRows);
        long bytes = pick(mine, o -> box(o.maxResultBytes()), count, defaults.maxResultBytes);
        long timeout = pick(mine, o -> o.statementTimeout().map(Duration::toMillis), count, defaults.statementTimeout.toMillis());
        return new Quota(rps, (int) burst, (int) statements, (int) queries, rows, bytes, Duration.ofMillis(timeout),
                principalRoles);
    }

    private static <T> T pick(List<Override> overrides, Function<Override, Optional<T>> setting, BinaryOperator<T> generous,
            T fallback) {
        return overrides.stream().map(setting).flatMap(Optional::stream).reduce(generous).orElse(fallback);
    }

    private static Optional<Double> box(OptionalDouble v) {
        return v.isPresent() ? Optional.of(v.getAsDouble()) : Optional.empty();
    }

    private static Optional<Long> box(OptionalInt v) {
        return v.isPresent() ? Optional.of((long) v.getAsInt()) : Optional.empty();
    }

    private static Optional<Long> box(OptionalLong v) {
        return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
    }

    public boolean rateLimited() {
        return requestsPerSecond > 0;
    }

    /**
     * The row limit to run with: the request's, capped to {@code maxRows}. A request without a limit
     * gets {@code maxRows}, so the result is marked truncated exactly as under its own limit.
     */
    public OptionalLong rowLimit(OptionalLong requested) {
        if (maxRows == 0 || (requested.isPresent() && requested.getAsLong() <= maxRows)) {
            return requested;
        }
        return OptionalLong.of(maxRows);
    }

    /** What a query run for this principal may take: its time and result bytes. */
    public QueryLimits queryLimits() {
        return new QueryLimits(statementTimeout.isZero() ? Optional.empty() : Optional.of(statementTimeout),
                maxResultBytes == 0 ? OptionalLong.empty() : OptionalLong.of(maxResultBytes));
    }

    public OptionalInt runningStatements() {
        return maxRunningStatements == 0 ? OptionalInt.empty() : OptionalInt.of(maxRunningStatements);
    }

    /** How errors name where a limit comes from. */
    public String source(String setting) {
        return "gateway.quotas." + setting + " for roles " + roles.stream().sorted().toList();
    }
}
