package dev.sparkgateway.embedded;

import dev.sparkgateway.testing.SparkConnectTestResource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An embedded Spark server that dies (a driver out of memory exits with code 3; here: SIGKILL) is
 * started again on the same port, so the gateway heals without a restart; stopping the gateway
 * stops it for good.
 */
class EmbeddedSparkRestartTest {

    @Test
    void aDeadEmbeddedServerIsStartedAgain() throws Exception {
        int port = SparkConnectTestResource.freePort();
        EmbeddedSparkServer embedded = new EmbeddedSparkServer(config(port));
        try {
            embedded.start();
            long first = embedded.pid().orElseThrow();
            ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
            long second = awaitNewServer(embedded, port, first, Duration.ofMinutes(3));
            assertNotEquals(first, second);
            assertTrue(LocalSparkServer.accepts(port), "the new server listens on the same port");
        } finally {
            embedded.stop();
        }
        assertFalse(embedded.pid().isPresent());
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments()
                .map(a -> String.join(" ", a).contains("spark.connect.grpc.binding.port=" + port)).orElse(false)),
                "stopping the gateway stops the server for good");
    }

    /** The pid of the server that replaced {@code dead} once it listens on {@code port}. */
    private static long awaitNewServer(EmbeddedSparkServer embedded, int port, long dead, Duration timeout) {
        return await("a new server on port " + port).atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            OptionalLong pid = embedded.pid();
            return pid.isPresent() && pid.getAsLong() != dead && LocalSparkServer.accepts(port) ? pid : OptionalLong.empty();
        }, OptionalLong::isPresent).getAsLong();
    }

    private static EmbeddedSparkConfig config(int port) {
        return new EmbeddedSparkConfig() {
            public boolean enabled() {
                return true;
            }

            public int port() {
                return port;
            }

            public String master() {
                return "local[1]";
            }

            public String driverMemory() {
                return "512m";
            }

            public Map<String, String> conf() {
                return Map.of("spark.sql.shuffle.partitions", "1");
            }

            public String workDir() {
                return Path.of("target", "test-spark-embedded-restart").toString();
            }

            public String classpathFile() {
                return SparkServerClasspath.DEFAULT_FILE.toString();
            }

            public Duration startupTimeout() {
                return Duration.ofMinutes(3);
            }
        };
    }
}
