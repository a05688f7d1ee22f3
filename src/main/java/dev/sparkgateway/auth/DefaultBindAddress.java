package dev.sparkgateway.auth;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where the HTTP server listens unless {@code quarkus.http.host} is set anywhere: loopback when
 * nobody authenticates ({@code gateway.auth.mode=none}), all interfaces otherwise. Lower than every
 * real source, so an explicit setting (application.properties, env, -D) always wins.
 */
public class DefaultBindAddress implements ConfigSourceFactory {

    static final String LOOPBACK = "127.0.0.1";
    static final String ANY = "0.0.0.0";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue mode = context.getValue("gateway.auth.mode");
        String host = isNone(mode == null ? null : mode.getValue()) ? LOOPBACK : ANY;
        return List.of(new PropertiesConfigSource(Map.of("quarkus.http.host", host), "gateway-default-bind-address", 1));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(1);
    }

    static boolean isNone(String mode) {
        return mode == null || mode.isBlank() || mode.strip().toLowerCase(Locale.ROOT).equals("none");
    }
}
