package dev.sparkgateway.embedded;

import dev.sparkgateway.testing.SparkConnectTestResource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

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
            OptionalLong second = awaitNewServer(embedded, port, first, Duration.ofMinutes(3));
            assertTrue(second.isPresent(), "no new server within 3 minutes");
            assertNotEquals(first, second.getAsLong());
            assertTrue(LocalSparkServer.accepts(port), "the new server listens on the same port");
        } finally {
            embedded.stop();
        }
        assertFalse(embedded.pid().isPresent());
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments()
                .map(a -> String.join(" ", a).contains("spark.connect.grpc.binding.port=" + port)).orElse(false)),
                "stopping the gateway stops the server for good");
    }

    private static OptionalLong awaitNewServer(EmbeddedSparkServer embedded, int port, long dead, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong pid = embedded.pid();
            if (pid.isPresent() && pid.getAsLong() != dead && LocalSparkServer.accepts(port)) {
                return pid;
            }
            Thread.sleep(200);
        }
        return OptionalLong.empty();
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
