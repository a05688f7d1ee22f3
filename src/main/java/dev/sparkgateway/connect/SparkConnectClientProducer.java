package dev.sparkgateway.connect;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Builds the client of the Spark Connect endpoints, one channel each (embedded/SparkEndpointProducer picks them). */
@Singleton
public class SparkConnectClientProducer {

    private static final Logger LOG = Logger.getLogger(SparkConnectClientProducer.class);

    @Produces
    @Singleton
    SparkConnectClient client(SparkConnectConfig config, SparkEndpoints endpoints) {
        return new RoutingSparkConnectClient(endpoints, config);
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
