package dev.sparkgateway.auth;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without authentication the gateway listens on loopback only, unless told otherwise. */
class DefaultBindAddressTest {

    private static String host(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(new HashMap<>(properties), "test", 250))
                .withSources(new DefaultBindAddress())
                .build();
        return config.getValue("quarkus.http.host", String.class);
    }

    @Test
    void noneModeBindsLoopback() {
        assertEquals("127.0.0.1", host(Map.of()));
        assertEquals("127.0.0.1", host(Map.of("gateway.auth.mode", "none")));
        assertEquals("127.0.0.1", host(Map.of("gateway.auth.mode", " NONE ")));
    }

    @Test
    void authenticatedModesBindAllInterfaces() {
        assertEquals("0.0.0.0", host(Map.of("gateway.auth.mode", "api-key")));
        assertEquals("0.0.0.0", host(Map.of("gateway.auth.mode", "oidc")));
    }

    @Test
    void anExplicitHostAlwaysWins() {
        assertEquals("0.0.0.0", host(Map.of("quarkus.http.host", "0.0.0.0")));
        assertEquals("10.1.2.3", host(Map.of("gateway.auth.mode", "api-key", "quarkus.http.host", "10.1.2.3")));
    }
}
