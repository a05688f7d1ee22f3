package dev.sparkgateway.connect;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How the gateway reaches Spark Connect. */
@ConfigMapping(prefix = "gateway.spark")
public interface SparkConnectConfig {

    /**
     * Remote server as {@code sc://host:port[/;token=...;use_ssl=true]}: the endpoint named
     * {@value SparkEndpoints#DEFAULT_NAME}. Unset, and no {@link #endpoints()}: the embedded local server (embedded/).
     */
    Optional<String> url();

    /** Bearer token sent to Spark Connect; overrides a token given in {@link #url()}, the fallback of named endpoints. */
    Optional<String> token();

    /** Several Spark Connect servers by name ({@code gateway.spark.endpoints.east.url=sc://...}); sessions are spread over them per Spark user. */
    Map<String, Endpoint> endpoints();

    /** One named Spark Connect server. */
    interface Endpoint {

        /** Its address, {@code sc://host:port[/;token=...;use_ssl=true]}. */
        String url();

        /** Its bearer token; else a token in its URL; else {@code gateway.spark.token}. */
        Optional<String> token();
    }

    /** Spark Connect user ({@code UserContext.user_id}) for requests that carry no caller identity. */
    @WithDefault("gateway")
    String userId();

    /**
     * Largest gRPC message accepted from Spark; Spark's Arrow batches reach 128 MiB. Also the limit
     * of response metadata, since Spark puts whole error messages into the trailers.
     */
    @WithDefault("268435456")
    int maxInboundMessageBytes();

    /** Deadline for small control RPCs (interrupt, release, config, analyze). */
    @WithDefault("10s")
    Duration controlTimeout();

    /**
     * On shutdown, how long the sweeps for jobs orphaned by interrupts (seconds after each
     * interrupted operation ends) may go on before the sessions they need are released; counted
     * in a pod's terminationGracePeriodSeconds. A query cut while Spark plans it took 15 s to sweep
     * in ShutdownSweepsIT: Spark planned on for seconds, then two more sweeps follow.
     */
    @WithDefault("20s")
    Duration shutdownSweeps();

    /** Attempts for a call that fails with UNAVAILABLE before any response arrived. */
    @WithDefault("4")
    int maxAttempts();

    /** First back-off between attempts; doubles each time. */
    @WithDefault("100ms")
    Duration initialBackoff();
}
