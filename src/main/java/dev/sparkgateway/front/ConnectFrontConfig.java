package dev.sparkgateway.front;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** The Spark Connect front door: a gRPC server that official Spark Connect clients connect to (docs/spark-connect-front.md). */
@ConfigMapping(prefix = "gateway.connect-front")
public interface ConnectFrontConfig {

    /** Whether the gateway listens for Spark Connect clients at all. */
    @WithDefault("false")
    boolean enabled();

    /** Its port (0: any free one, for tests). */
    @WithDefault("15003")
    int port();

    /** The interface it binds; unset: the HTTP server's ({@code quarkus.http.host}). */
    Optional<String> host();

    /** PEM certificate chain: set with {@link #tlsKeyFile()}, clients connect with {@code use_ssl=true}. */
    Optional<Path> tlsCertFile();

    /** PEM private key of {@link #tlsCertFile()}. */
    Optional<Path> tlsKeyFile();

    /** A client's session unused this long is released on the Spark server (and its id forgotten). */
    @WithDefault("30m")
    Duration sessionIdleTimeout();

    /** Spark Connect sessions one principal may hold through the front at once (0: no limit). */
    @WithDefault("16")
    int maxSessionsPerPrincipal();

    /** Executions (ExecutePlan and ReattachExecute streams) one principal may run through the front at once (0: no limit). */
    @WithDefault("8")
    int maxOperationsPerPrincipal();

    /**
     * Bytes of responses a call may have queued towards its client before the front stops asking
     * Spark for more. gRPC's default (32 KiB) is less than one Arrow batch, so Spark's next batch
     * was only requested after the previous one had left: the two legs took turns instead of
     * overlapping. Memory bound: this much per streaming call.
     */
    @WithDefault("8M")
    MemorySize streamBuffer();

    /**
     * Event loop threads of the front (unset: one per core). Each has its own connection to each
     * Spark server, and a call is relayed on the loop its client's connection landed on.
     */
    OptionalInt eventLoops();
}
