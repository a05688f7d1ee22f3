package dev.sparkgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway (target/quarkus-app, the fast-jar as in production) in a JVM of its own, for
 * tests that kill, restart or replicate it. The JVM gets failsafe's {@code quarkus.test.arg-line}
 * (the small heap) and the given -D settings; its output goes to {@code <name>.log}, kept after it
 * ends. It dies with the test JVM (shutdown hook, and a watchdog if that JVM is killed).
 */
public final class GatewayProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final ProcessGuard guard;
    private final int port;
    private final URI base;
    private final Path log;

    private GatewayProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.guard = ProcessGuard.of(process.toHandle(), "KILL");
        this.port = port;
        this.base = URI.create("http://127.0.0.1:" + port + "/");
        this.log = log;
    }

    /**
     * Starts a gateway on a free port talking to the Spark Connect server on {@code sparkPort}, with
     * {@code settings} as -D system properties (they win over the two defaults), and waits until
     * {@code /q/health/ready} answers 200 (at most 2 minutes; the failure carries the log).
     */
    public static GatewayProcess start(String name, Path logDirectory, int sparkPort, Map<String, String> settings)
            throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the gateway first (mvn verify): no " + jar.toAbsolutePath());
        }
        int port = SparkConnectTestResource.freePort();
        Map<String, String> all = new TreeMap<>(Map.of("quarkus.http.port", Integer.toString(port),
                "gateway.spark.url", "sc://127.0.0.1:" + sparkPort));
        all.putAll(settings);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.stream(System.getProperty("quarkus.test.arg-line", "-Xmx128m").trim().split("\\s+")).toList());
        all.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GatewayProcess gateway = new GatewayProcess(name, process, Integer.parseInt(all.get("quarkus.http.port")), log);
        try {
            gateway.awaitReady(Duration.ofMinutes(2));
            return gateway;
        } catch (IllegalStateException | InterruptedException e) {
            gateway.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public URI base() {
        return base;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statement API of this replica alone. */
    public StatementClient api() {
        return new StatementClient(base);
    }

    /** This replica as a server behind a {@link LoadBalancer}. */
    public LoadBalancer.Backend backend() {
        return new LoadBalancer.Backend(name, "127.0.0.1", port);
    }

    /** The value of an unlabelled metric on {@code /q/metrics}; fails if there is none. */
    public long metric(String name) throws IOException, InterruptedException {
        String prefix = name + " ";
        return metrics().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(prefix.length()).trim()))
                .orElseThrow(() -> new IllegalStateException("no " + name + " in " + base + "q/metrics"));
    }

    /**
     * The sum over the series of {@code name} whose labels contain every one of {@code labels}
     * (e.g. {@code uri="/v1/sql"}); 0 when there is none yet (a counter that has not counted).
     */
    public double metricSum(String name, String... labels) throws IOException, InterruptedException {
        return metrics().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(label -> l.substring(0, l.lastIndexOf(' ')).contains(label)))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The whole Prometheus text of {@code /q/metrics}. */
    public String metrics() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** SIGKILL, as a crash or an OOM kill: nothing of the gateway's shutdown runs. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        int exit = awaitExit(Duration.ofSeconds(30));
        guard.close();
        if (exit != 137) {
            throw new IllegalStateException(name + " exited " + exit + ", not 137 (SIGKILL)");
        }
    }

    /**
     * SIGTERM, as Kubernetes stops a pod: the graceful shutdown runs; returns the exit status (143,
     * the JVM's for SIGTERM, also after a clean shutdown: the log's "stopped in" tells that).
     */
    public int stop() throws InterruptedException {
        process.destroy();
        int exit = awaitExit(Duration.ofSeconds(60));
        guard.close();
        return exit;
    }

    /** Kills the gateway if it still runs; the log stays. */
    @Override
    public void close() {
        guard.terminate();
        guard.close();
    }

    private int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still runs " + timeout + " after the signal");
        }
        return process.exitValue();
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the " + name + " gateway did not become ready"
                + (process.isAlive() ? " within " + timeout : " (exited " + process.exitValue() + ")") + ":\n" + logText());
    }
}
