package dev.sparkgateway.testing;

import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.embedded.SparkServerClasspath;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One real Spark Connect 4.0.0 server for the whole test JVM, however many times Quarkus restarts
 * the app for test profiles (the first class loader to start it owns it). It stops with the JVM (shutdown hook) or, if the JVM is killed, by
 * itself (its stdin closes).
 */
public class SparkConnectTestResource implements QuarkusTestResourceLifecycleManager {

    /** Small batches so modest results already span many Arrow batches. */
    public static final int MAX_RECORDS_PER_BATCH = 4096;
    /** A Spark conf naming the server, which SQL can read back: the shared server's is "shared". */
    public static final String ENDPOINT_NAME_CONF = "spark.gateway.endpoint.name";

    // Quarkus loads this class again in a fresh class loader for every test profile, so a static
    // field alone would start one server per profile: the port is shared through a system property.
    private static final String PORT_PROPERTY = "sparkgateway.test.spark-port";
    private static LocalSparkServer server;

    /** The shared server's port, starting the server on first use. */
    public static synchronized int port() {
        String shared = System.getProperty(PORT_PROPERTY);
        if (shared != null) {
            return Integer.parseInt(shared);
        }
        server = startServer(freePort());
        System.setProperty(PORT_PROPERTY, Integer.toString(server.port()));
        return server.port();
    }

    private static LocalSparkServer startServer(int port) {
        return start(port, "local[2]", "1g", Map.of(
                "spark.sql.shuffle.partitions", "2",
                // Which server answered, for tests with several endpoints: SELECT '${spark.gateway.endpoint.name}'.
                ENDPOINT_NAME_CONF, "shared",
                "spark.sql.session.timeZone", "UTC",
                "spark.sql.execution.arrow.maxRecordsPerBatch", Integer.toString(MAX_RECORDS_PER_BATCH),
                "spark.connect.execute.reattachable.senderMaxStreamDuration", "10s",
                // Reattachable streams (async statements) are cut every few MB, so tests see reattaches.
                "spark.connect.execute.reattachable.senderMaxStreamSize", "2m",
                // The server's catalog is in memory; a fresh warehouse keeps old table files from clashing with new tables.
                "spark.sql.warehouse.dir", Path.of("target", "test-spark", "warehouse-" + System.currentTimeMillis())
                        .toAbsolutePath().toString()), Path.of("target", "test-spark"));
    }

    /** A Spark Connect server of a test's own (e.g. one it stops and starts again). */
    public static LocalSparkServer start(int port, String master, String memory, Map<String, String> conf, Path workDir) {
        try {
            String classpath = SparkServerClasspath.read(SparkServerClasspath.DEFAULT_FILE);
            return LocalSparkServer.start(new LocalSparkServer.Settings(port, master, memory, conf, workDir,
                    Duration.ofMinutes(3), classpath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("gateway.spark.url", "sc://127.0.0.1:" + port());
    }

    @Override
    public void stop() {
        // Shared across app restarts; the JVM shutdown hook stops it.
    }
}
