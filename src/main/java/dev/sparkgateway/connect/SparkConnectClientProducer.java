package dev.sparkgateway.connect;

import dev.sparkgateway.embedded.EmbeddedSparkServer;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Builds the one client (one channel) to the configured server, or to the embedded one. */
@Singleton
public class SparkConnectClientProducer {

    private static final Logger LOG = Logger.getLogger(SparkConnectClientProducer.class);

    @Produces
    @Singleton
    SparkConnectClient client(SparkConnectConfig config, EmbeddedSparkServer embedded) {
        ConnectEndpoint endpoint = config.url()
                .filter(url -> !url.isBlank())
                .map(ConnectEndpoint::parse)
                .orElseGet(() -> ConnectEndpoint.local(embedded.start()));
        LOG.infof("Spark Connect endpoint: %s", endpoint.display());
        return new GrpcSparkConnectClient(endpoint, config);
    }

    void close(@Disposes SparkConnectClient client) {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debugf("closing the Spark Connect client failed: %s", e.getMessage());
            }
        }
    }
}
