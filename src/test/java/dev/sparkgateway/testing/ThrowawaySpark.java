package dev.sparkgateway.testing;

import dev.sparkgateway.embedded.LocalSparkServer;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test profile: the gateway points at a port where no shared server runs, and each test starts (stops,
 * kills) Spark Connect servers there itself, so the shared server is never disturbed. Every test that
 * uses it must leave no server running: the next one starts against an empty port.
 */
public class ThrowawaySpark implements QuarkusTestProfile {

    // Quarkus may load this class in more than one class loader; the port must be one for the JVM.
    private static final String PORT_PROPERTY = "sparkgateway.test.throwaway-spark-port";

    public static synchronized int port() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            port = Integer.toString(SparkConnectTestResource.freePort());
            System.setProperty(PORT_PROPERTY, port);
        }
        return Integer.parseInt(port);
    }

    /** A small server on {@link #port()}: one shuffle partition, plus {@code conf}; files under target/{@code name}. */
    public static LocalSparkServer start(String master, String memory, Map<String, String> conf, String name) {
        Map<String, String> all = new HashMap<>(Map.of("spark.sql.shuffle.partitions", "1"));
        all.putAll(conf);
        return SparkConnectTestResource.start(port(), master, memory, all, Path.of("target", name));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.spark.url", "sc://127.0.0.1:" + port(), "gateway.pool.min-idle", "0");
    }
}
