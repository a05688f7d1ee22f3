package dev.sparkgateway.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
        Path go = goOnPath().orElseGet(() -> fail("""

                ************************************************************************
                * GoClientIT: no 'go' on PATH, so the Go client suites (clients/go)     *
                * cannot run. Install Go 1.19+:  sudo apt-get install -y golang-go      *
                * (.ci/run does this on CI).                                            *
                ************************************************************************"""));
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
        assertEquals(0, run(go, env, "vet", "./..."), "go vet ./... failed (output above)");
        assertEquals(0, run(go, env, "test", "-count=1", "-v", "-timeout", "8m", "./..."),
                "go test ./... failed against the packaged gateway (output above)");
    }

    private static Optional<Path> goOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "go");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs go in clients/go, copying its output to the build log line by line as it comes. */
    private static int run(Path go, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(go.toString());
        command.addAll(List.of(args));
        System.out.println("GoClientIT: " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            Thread pump = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        System.out.println("[go] " + line);
                    }
                } catch (IOException e) {
                    System.out.println("[go] output lost: " + e.getMessage());
                }
            }, "go-output");
            pump.start();
            assertTrue(process.waitFor(GO_TIMEOUT_MINUTES, TimeUnit.MINUTES), "go " + args[0] + " ran longer than "
                    + GO_TIMEOUT_MINUTES + " minutes");
            pump.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
