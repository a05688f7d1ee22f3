package dev.sparkgateway.connect;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Builds the one client (one channel) to the Spark Connect endpoint (embedded/SparkEndpointProducer picks it). */
@Singleton
public class SparkConnectClientProducer {

    private static final Logger LOG = Logger.getLogger(SparkConnectClientProducer.class);

    @Produces
    @Singleton
    SparkConnectClient client(SparkConnectConfig config, ConnectEndpoint endpoint) {
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
