package dev.sparkgateway.query;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** Limits on statement execution. */
@ConfigMapping(prefix = "gateway.query")
public interface QueryConfig {

    /** Longest a synchronous statement may run, streaming included; it is then interrupted (504). Unset: no limit. */
    Optional<Duration> timeout();
}
