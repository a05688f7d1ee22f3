package dev.sparkgateway.quota;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A principal's quota from its roles: per setting the most generous role that sets it, else the default. */
class QuotaTest {

    private static final Quota DEFAULTS = new Quota(20, 40, 8, 8, 0, 0, Duration.ZERO, Set.of());

    private static final Map<String, Quota.Override> ROLES = Map.of(
            "analyst", new Quota.Override(OptionalDouble.of(5), OptionalInt.of(10), OptionalInt.of(2), OptionalInt.empty(),
                    OptionalLong.of(1000), OptionalLong.of(1 << 20), Optional.of(Duration.ofMinutes(5))),
            "etl", new Quota.Override(OptionalDouble.empty(), OptionalInt.of(5), OptionalInt.of(4), OptionalInt.of(1),
                    OptionalLong.of(0), OptionalLong.empty(), Optional.of(Duration.ofMinutes(30))),
            "admin", new Quota.Override(OptionalDouble.of(0), OptionalInt.empty(), OptionalInt.of(0), OptionalInt.of(0),
                    OptionalLong.empty(), OptionalLong.empty(), Optional.empty()));

    private static Quota of(String... roles) {
        return Quota.forRoles(DEFAULTS, ROLES, Set.of(roles));
    }

    @Test
    void noRoleOrAnUnknownOneGetsTheDefaults() {
        assertEquals(DEFAULTS, of());
        assertEquals(new Quota(20, 40, 8, 8, 0, 0, Duration.ZERO, Set.of("guest")), of("guest"));
    }

    @Test
    void oneRoleOverridesWhatItSetsOnly() {
        Quota analyst = of("analyst");
        assertEquals(5, analyst.requestsPerSecond());
        assertEquals(10, analyst.burst());
        assertEquals(2, analyst.maxRunningStatements());
        assertEquals(8, analyst.maxRunningQueries(), "unset by analyst: the default");
        assertEquals(1000, analyst.maxRows());
        assertEquals(1 << 20, analyst.maxResultBytes());
        assertEquals(Duration.ofMinutes(5), analyst.statementTimeout());
    }

    @Test
    void severalRolesGetTheMostGenerousValueOfThoseThatSetIt() {
        Quota both = of("analyst", "etl");
        assertEquals(5, both.requestsPerSecond(), "etl leaves the rate to analyst, not to the default 20");
        assertEquals(10, both.burst());
        assertEquals(4, both.maxRunningStatements());
        assertEquals(1, both.maxRunningQueries(), "only etl sets it: its value, even below the default");
        assertEquals(0, both.maxRows(), "etl's 0 is unlimited, more generous than 1000");
        assertEquals(1 << 20, both.maxResultBytes());
        assertEquals(Duration.ofMinutes(30), both.statementTimeout());
    }

    @Test
    void unlimitedBeatsAnyNumber() {
        Quota admin = of("admin", "analyst");
        assertEquals(0, admin.requestsPerSecond());
        assertEquals(0, admin.maxRunningStatements());
        assertEquals(0, admin.maxRunningQueries());
        assertEquals(1000, admin.maxRows(), "admin sets no row cap: analyst's");
    }

    @Test
    void theRowCapAppliesToMissingAndLargerLimitsOnly() {
        Quota analyst = of("analyst");
        assertEquals(OptionalLong.of(1000), analyst.rowLimit(OptionalLong.empty()));
        assertEquals(OptionalLong.of(1000), analyst.rowLimit(OptionalLong.of(5000)));
        assertEquals(OptionalLong.of(10), analyst.rowLimit(OptionalLong.of(10)));
        assertEquals(OptionalLong.empty(), of().rowLimit(OptionalLong.empty()));
    }

    @Test
    void zeroTimeoutAndBytesAreNoLimits() {
        assertEquals(dev.sparkgateway.query.QueryLimits.NONE, of().queryLimits());
        assertEquals(Optional.of(Duration.ofMinutes(5)), of("analyst").queryLimits().timeout());
        assertEquals(OptionalLong.of(1 << 20), of("analyst").queryLimits().maxResultBytes());
    }

    @Test
    void negativeValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Quota(-1, 1, 0, 0, 0, 0, Duration.ZERO, Set.of()));
        Map<String, Quota.Override> bad = Map.of("x", new Quota.Override(OptionalDouble.empty(), OptionalInt.empty(),
                OptionalInt.of(-2), OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> Quota.forRoles(DEFAULTS, bad, Set.of("x")));
    }
}
