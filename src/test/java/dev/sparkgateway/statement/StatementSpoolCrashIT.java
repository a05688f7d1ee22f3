package dev.sparkgateway.statement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.testing.SparkConnectTestResource;
import dev.sparkgateway.testing.StatementClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged gateway (fast-jar, as in production) spools a multi-chunk result, is killed with
 * SIGKILL and started again on the same spool parent: the new process deletes the dead one's
 * directory at start, and a third gateway started beside the live second leaves its directory alone.
 */
class StatementSpoolCrashIT {

    @TempDir
    Path parent;

    @TempDir
    Path logs;

    private final List<Process> started = new ArrayList<>();
    private final Thread reaper = new Thread(() -> started.forEach(Process::destroyForcibly));

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
        Runtime.getRuntime().removeShutdownHook(reaper);
    }

    @Test
    void aKilledGatewaysSpoolIsRemovedByTheNextOneAndALiveOnesIsKept() throws Exception {
        Runtime.getRuntime().addShutdownHook(reaper);
        int spark = SparkConnectTestResource.port();

        Gateway first = start(spark, "first");
        JsonNode statement = first.api.submit(200, "{\"sql\": \"SELECT id, repeat('x', 200) AS s FROM range(0, 20000, 1, 2)\","
                + " \"waitTimeout\": 120}");
        assertEquals("SUCCEEDED", statement.get("state").asText(), statement.toString());
        int chunks = statement.at("/result/chunks").size();
        assertTrue(chunks > 1, "a multi-chunk result: " + statement.at("/result"));
        Path dead = onlySpool(first);
        long bytes = SpoolDirectory.bytes(dead);
        assertTrue(bytes > statement.at("/result/byteCount").asLong() - 1, "spooled: " + bytes);
        assertEquals(bytes, first.metric("gateway_statements_spool_bytes"), "the metric is what is on disk");

        first.process.destroyForcibly();
        assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, first.process.exitValue(), "killed by SIGKILL");
        assertTrue(Files.isDirectory(dead), "kill -9 leaves the spool behind");

        Gateway second = start(spark, "second");
        assertFalse(Files.exists(dead), "the dead gateway's spool is gone");
        Path live = onlySpool(second);
        assertTrue(Files.readString(second.log).contains("Removed 1 spool directory of gateways no longer running from "
                + parent + " (" + bytes + " bytes)"), "the start-up log says what was removed");
        // A live statement on the second gateway, then a third gateway on the same parent.
        second.api.submit(200, "{\"sql\": \"SELECT id FROM range(1000)\", \"waitTimeout\": 60}");

        Gateway third = start(spark, "third");
        assertTrue(Files.isDirectory(live) && Files.exists(live.resolve(SpoolDirectory.LOCK)), "a live gateway's spool stays");
        assertEquals(2, spools().size(), "second's and third's: " + spools());
        third.process.destroy();
        assertTrue(third.process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(List.of(live), spools(), "a gateway that stops cleanly deletes its own");
        System.out.printf("StatementSpoolCrashIT: %d chunks, %d bytes left by kill -9, removed by the next start%n",
                chunks, bytes);
    }

    private record Gateway(Process process, StatementClient api, URI base, Path log) {

        long metric(String name) throws IOException, InterruptedException {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                    .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim()))
                    .orElseGet(() -> fail("no " + name + " in /q/metrics"));
        }
    }

    private Gateway start(int sparkPort, String name) throws Exception {
        int port = SparkConnectTestResource.freePort();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.exists(jar), "package the gateway first (mvn verify)");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.stream(System.getProperty("quarkus.test.arg-line", "-Xmx128m").trim().split("\\s+")).toList());
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dgateway.spark.url=sc://127.0.0.1:" + sparkPort,
                "-Dgateway.statements.spool-dir=" + parent, "-Dgateway.statements.chunk-size=256K",
                "-jar", jar.toString()));
        Path log = logs.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new Gateway(process, new StatementClient(base), base, log);
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        return fail("the " + name + " gateway did not become ready:\n" + Files.readString(log));
    }

    private Path onlySpool(Gateway gateway) {
        List<Path> spools = spools();
        assertEquals(1, spools.size(), spools.toString());
        assertTrue(spools.get(0).getFileName().toString().startsWith("spool-" + gateway.process.pid() + "-"), spools.toString());
        return spools.get(0);
    }

    private List<Path> spools() {
        try (Stream<Path> dirs = Files.list(parent)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith(SpoolDirectory.PREFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
