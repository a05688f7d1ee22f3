package dev.sparkgateway.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** A test profile that only overrides settings, named by the subclass's constructor. */
public abstract class ConfigOverrides implements QuarkusTestProfile {

    private final Map<String, String> overrides;

    protected ConfigOverrides(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public final Map<String, String> getConfigOverrides() {
        return overrides;
    }
}
