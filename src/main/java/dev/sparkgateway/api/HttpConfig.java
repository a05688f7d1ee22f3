package dev.sparkgateway.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on what callers may send. */
@ConfigMapping(prefix = "gateway.http")
public interface HttpConfig {

    /** Largest accepted request body; larger ones get 413. Keep below quarkus.http.limits.max-body-size. */
    @WithDefault("1M")
    MemorySize maxBodySize();
}
