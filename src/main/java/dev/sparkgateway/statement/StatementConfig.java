package dev.sparkgateway.statement;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Asynchronous statements: waits, bounds, result spool and lifetimes. */
@ConfigMapping(prefix = "gateway.statements")
public interface StatementConfig {

    /** Where statements are held. */
    enum Store {
        /** This process's memory: a restart forgets them; one replica only. */
        MEMORY,
        /** PostgreSQL (quarkus.datasource.*), shared by every replica, with a shared spool-dir. */
        POSTGRESQL
    }

    /** {@code memory} or {@code postgresql} (statements shared by every replica; needs quarkus.datasource.jdbc.url and a shared spool-dir). */
    @WithDefault("memory")
    Store store();

    /**
     * postgresql store: a replica that has not renewed its lease for this long is taken for lost,
     * and the statements it was running fail (gateway-instance-lost). It renews every third of it.
     */
    @WithDefault("30s")
    Duration lease();

    /** postgresql store: how often a replica refreshes the other replicas' statements someone waits for here, and learns of cancels of its own. */
    @WithDefault("250ms")
    Duration syncInterval();

    /** On shutdown, how long running statements may go on to finish before they are failed (postgresql store: their results stay fetchable). */
    @WithDefault("10s")
    Duration shutdownGrace();

    /** How long a submit waits for the statement when the request gives no waitTimeout. */
    @WithDefault("10s")
    Duration defaultWaitTimeout();

    /** Largest waitTimeout a request may ask for (400 above). */
    @WithDefault("5m")
    Duration maxWaitTimeout();

    /** How long a finished statement and its result stay fetchable. */
    @WithDefault("1h")
    Duration resultTtl();

    /** A running statement nobody polled (GET, events, chunk) for this long is cancelled. */
    @WithDefault("5m")
    Duration abandonedTimeout();

    /** Statements running (or pending) at once; more get 429 + Retry-After. Only these can refuse a submit. */
    @WithDefault("16")
    int maxRunning();

    /** Statements kept, running or finished; beyond it the oldest finished one is evicted with its result. */
    @WithDefault("1000")
    int maxStored();

    /**
     * Directory of spooled results; unset: the system temp dir. memory store: a locked subdirectory
     * per gateway process (those of dead gateways are removed at start). postgresql store: shared by
     * every replica (a ReadWriteMany volume), one subdirectory per statement.
     */
    Optional<Path> spoolDir();

    /** Disk space all spooled results may take; a statement that would exceed it fails (507). */
    @WithDefault("10G")
    MemorySize spoolMaxSize();

    /** Target size of one result chunk (Arrow bytes); a chunk holds at least one Spark batch. */
    @WithDefault("16M")
    MemorySize chunkSize();

    /** A first chunk up to this size comes inline in a submit's response when the statement finished in time. */
    @WithDefault("256K")
    MemorySize inlineMaxSize();
}
