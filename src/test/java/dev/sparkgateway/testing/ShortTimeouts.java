package dev.sparkgateway.testing;

import java.util.Map;

/**
 * Test profile: short query and statement timeouts, for the tests that need a slow query stopped
 * (QueryTimeoutTest) or every request bounded (GatewayFuzzTest). One profile for both, since each
 * profile costs a Quarkus build and start.
 */
public class ShortTimeouts extends ConfigOverrides {

    public ShortTimeouts() {
        super(Map.of("gateway.query.timeout", "2s",
                "gateway.statements.max-wait-timeout", "2s",
                "gateway.statements.default-wait-timeout", "1s",
                "gateway.statements.abandoned-timeout", "5s",
                "gateway.statements.spool-max-size", "256M"));
    }
}
