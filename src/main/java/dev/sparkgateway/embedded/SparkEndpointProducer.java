package dev.sparkgateway.embedded;

import dev.sparkgateway.connect.ConnectEndpoint;
import dev.sparkgateway.connect.SparkConnectConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The Spark Connect server the gateway talks to: {@code gateway.spark.url}, or else the embedded
 * local server, started here on first demand. Lives in embedded/ so that connect/ (the transport)
 * only ever receives an address and never starts a server.
 */
@Singleton
public class SparkEndpointProducer {

    private static final Logger LOG = Logger.getLogger(SparkEndpointProducer.class);

    @Produces
    @Singleton
    ConnectEndpoint endpoint(SparkConnectConfig config, EmbeddedSparkServer embedded) {
        ConnectEndpoint endpoint = config.url()
                .filter(url -> !url.isBlank())
                .map(ConnectEndpoint::parse)
                .orElseGet(() -> ConnectEndpoint.local(embedded.start()));
        LOG.infof("Spark Connect endpoint: %s", endpoint.display());
        return endpoint;
    }
}
