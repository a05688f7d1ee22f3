package dev.sparkgateway.it;

import dev.sparkgateway.testing.ApiKeyFiles;
import dev.sparkgateway.testing.SparkConnectTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs front-it/ (the official Spark Connect JVM client's suite) against the packaged gateway's
 * front door and the test Spark Connect server. front-it is a Maven project of its own so that
 * the client jar, which carries its own org.apache.spark.connect.proto classes, never meets the
 * gateway's classpath; its output goes to the build log.
 */
@QuarkusIntegrationTest
@TestProfile(ConnectFrontClientIT.Front.class)
class ConnectFrontClientIT {

    static final Path FILE = Path.of("target", "test-auth", "connect-front-it-keys.json").toAbsolutePath();
    static final ApiKeyFiles.Key ANALYST = new ApiKeyFiles.Key("front-it-analyst", "ana", "ana_spark", List.of("analyst"));
    static final ApiKeyFiles.Key OTHER = new ApiKeyFiles.Key("front-it-other", "ben", null, List.of("analyst"));
    static final ApiKeyFiles.Key ADMIN = new ApiKeyFiles.Key("front-it-admin", "ops", null, List.of("admin"));
    /** Chosen once: the profile is built again for the app and for this class. */
    static final int PORT = SparkConnectTestResource.freePort();

    public static class Front implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ApiKeyFiles.write(FILE, List.of(ANALYST, OTHER, ADMIN));
            return Map.of("gateway.auth.mode", "api-key", "gateway.auth.api-keys-file", FILE.toString(),
                    "gateway.connect-front.enabled", "true", "gateway.connect-front.port", Integer.toString(PORT),
                    "gateway.connect-front.host", "127.0.0.1");
        }
    }

    @Test
    void theOfficialJvmClientSuitePassesThroughTheFront() throws IOException, InterruptedException {
        ExternalTool mvn = ExternalTool.require("mvn", "sudo apt-get install -y maven");
        List<String> args = new ArrayList<>(List.of("-B", "-f", "front-it/pom.xml", "test",
                "-Dfront.port=" + PORT, "-Dfront.analyst-key=" + ANALYST.key(), "-Dfront.analyst-spark-user=ana_spark",
                "-Dfront.other-key=" + OTHER.key(), "-Dfront.admin-key=" + ADMIN.key()));
        ExternalTool.Run run = mvn.run(Path.of("").toAbsolutePath(), Map.of(), 15, args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), "front-it (the official JVM client through the front) failed (output above)");
        assertTrue(run.output().stream().anyMatch(l -> l.contains("Tests run:") && l.contains("Failures: 0")),
                "front-it ran its tests");
        // The test server cuts reattachable streams every 2 MB: the multi-million-row result came
        // complete through reattaches, each an audit line of the front.
        String log = Files.readString(Path.of("target", "quarkus.log"));
        assertTrue(Pattern.compile("connect-front rpc=ReattachExecute principal=ana .* status=OK").matcher(log).find(),
                "the client reattached through the front (target/quarkus.log)");
    }
}
