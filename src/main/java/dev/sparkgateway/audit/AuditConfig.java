package dev.sparkgateway.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the per-statement log line records. */
@ConfigMapping(prefix = "gateway.audit")
public interface AuditConfig {

    /** Also log each statement's text (SQL, spec or plan, cut at 2000 characters); off: only its fingerprint. */
    @WithDefault("false")
    boolean logStatements();
}
