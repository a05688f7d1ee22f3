package dev.sparkgateway.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the Go client's suites (clients/go: go vet, then unit, smoke, e2e, load and the examples
 * of docs/go-client.md) against the packaged gateway and the test Spark Connect server. Go's
 * output goes to the build log; a missing Go toolchain fails the build loudly instead of
 * skipping, so CI (which installs golang-go in .ci/run) cannot pass without running them.
 */
@QuarkusIntegrationTest
class GoClientIT {

    private static final Path MODULE = Path.of("clients", "go").toAbsolutePath();
    private static final long GO_TIMEOUT_MINUTES = 10;

    @Test
    void goVetAndAllSuitesPassAgainstThePackagedGateway() throws IOException, InterruptedException {
        ExternalTool go = ExternalTool.require("go", "sudo apt-get install -y golang-go  (Go 1.19+)");
        Path target = Path.of("target").toAbsolutePath();
        Map<String, String> env = Map.of(
                "GATEWAY_URL", "http://localhost:" + RestAssured.port,
                "GATEWAY_LOAD_DURATION", "10s",
                // Build cache and module dir inside target/: HOME may not be writable on CI.
                "GOCACHE", target.resolve("go-cache").toString(),
                "GOPATH", target.resolve("go-path").toString(),
                // Standard library only: nothing may be downloaded.
                "GOPROXY", "off",
                "CGO_ENABLED", "0");
        assertEquals(0, go.run(MODULE, env, GO_TIMEOUT_MINUTES, "vet", "./...").exitCode(),
                "go vet ./... failed (output above)");
        assertEquals(0, go.run(MODULE, env, GO_TIMEOUT_MINUTES, "test", "-count=1", "-v", "-timeout", "8m", "./...").exitCode(),
                "go test ./... failed against the packaged gateway (output above)");
    }
}
