package dev.sparkgateway.embedded;

import dev.sparkgateway.connect.ConnectEndpoint;
import dev.sparkgateway.connect.SparkConnectConfig;
import dev.sparkgateway.connect.SparkEndpoints;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The Spark Connect servers the gateway talks to: {@code gateway.spark.url} and
 * {@code gateway.spark.endpoints}, or else the embedded local server, started here on first demand. Lives in embedded/ so that connect/ (the transport)
 * only ever receives an address and never starts a server.
 */
@Singleton
public class SparkEndpointProducer {

    private static final Logger LOG = Logger.getLogger(SparkEndpointProducer.class);

    @Produces
    @Singleton
    SparkEndpoints endpoints(SparkConnectConfig config, EmbeddedSparkServer embedded) {
        SparkEndpoints endpoints = SparkEndpoints.fromConfig(config)
                .orElseGet(() -> SparkEndpoints.single(ConnectEndpoint.local(embedded.start())));
        LOG.infof("Spark Connect endpoint%s: %s", endpoints.all().size() == 1 ? "" : "s", endpoints.display());
        return endpoints;
    }
}
