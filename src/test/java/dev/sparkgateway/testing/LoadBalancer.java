package dev.sparkgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real round-robin HTTP load balancer (Debian {@code haproxy}, in the foreground) on a free
 * 127.0.0.1 port in front of gateway replicas, as a Kubernetes Service spreads requests over pods.
 * Each request is balanced on its own, also within a keep-alive connection. Timeouts are minutes
 * long so long polls and SSE streams pass. A replica that stops listening is marked down by a
 * readiness check every 500 ms and a request that cannot connect to it is sent to another one
 * (redispatch); a request already in flight on a replica that dies ends as the balancer's 502,
 * as it would in production. A stats page tells each server's state and request count.
 */
public final class LoadBalancer implements AutoCloseable {

    /** One server behind the balancer; {@code name} shows in the stats and the log. */
    public record Backend(String name, String host, int port) {
        public Backend {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(host, "host is null");
        }
    }

    /** A server's line on the stats page: {@code status} is UP, DOWN, "UP 1/2" and the like. */
    public record ServerStats(String name, String status, long requests) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path directory;
    private final int port;
    private final int statsPort;
    private final Process process;
    private final ProcessGuard guard;

    private LoadBalancer(Path directory, int port, int statsPort, Process process) {
        this.directory = directory;
        this.port = port;
        this.statsPort = statsPort;
        this.process = process;
        this.guard = ProcessGuard.of(process.toHandle(), "KILL");
    }

    /** Balances over {@code backends}, checking each one's {@code /q/health/ready}. */
    public static LoadBalancer start(List<Backend> backends) throws IOException, InterruptedException {
        return start(backends, "/q/health/ready");
    }

    /**
     * Balances over {@code backends}; a server is in rotation while {@code healthPath} answers 2xx or
     * 3xx (checked every 500 ms, one failure takes it out, one success puts it back).
     */
    public static LoadBalancer start(List<Backend> backends, String healthPath) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("sparkgateway-haproxy-");
        int port = SparkConnectTestResource.freePort();
        int statsPort = SparkConnectTestResource.freePort();
        Path config = directory.resolve("haproxy.cfg");
        Files.writeString(config, config(backends, healthPath, port, statsPort));
        Path log = directory.resolve("haproxy.log");
        Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString()).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LoadBalancer balancer = new LoadBalancer(directory, port, statsPort, process);
        try {
            balancer.awaitListening();
            return balancer;
        } catch (IllegalStateException | InterruptedException e) {
            balancer.close();
            throw e;
        }
    }

    static String config(List<Backend> backends, String healthPath, int port, int statsPort) {
        StringBuilder config = new StringBuilder("""
                global
                    log stderr format raw local0 info
                    maxconn 2000
                defaults
                    mode http
                    log global
                    option httplog
                    timeout connect 2s
                    timeout client 10m
                    timeout server 10m
                    # Upgraded or streaming connections (SSE) idle for as long as a long poll may wait.
                    timeout tunnel 10m
                    timeout http-request 1m
                    timeout check 2s
                    # A connect failure is retried, the last attempts on another server.
                    retries 3
                    option redispatch 1
                frontend gateways
                    bind 127.0.0.1:%d
                    default_backend replicas
                listen stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                backend replicas
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri %s
                """.formatted(port, statsPort, healthPath));
        for (Backend backend : backends) {
            config.append("    server %s %s:%d check inter 500ms fall 1 rise 1%n".formatted(backend.name(), backend.host(),
                    backend.port()));
        }
        return config.toString();
    }

    /** The balancer's address: send the tests' requests here. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** A statement client that goes through the balancer. */
    public StatementClient api() {
        return new StatementClient(uri());
    }

    public Path log() {
        return directory.resolve("haproxy.log");
    }

    /** Each server's state and the number of requests (sessions) it was sent so far, by name. */
    public Map<String, ServerStats> stats() throws IOException, InterruptedException {
        String csv = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
        int proxy = header.indexOf("pxname");
        int server = header.indexOf("svname");
        int status = header.indexOf("status");
        int total = header.indexOf("stot");
        Map<String, ServerStats> stats = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields.length > total && fields[proxy].equals("replicas")
                    && !fields[server].equals("BACKEND") && !fields[server].equals("FRONTEND")) {
                stats.put(fields[server], new ServerStats(fields[server], fields[status], Long.parseLong(fields[total])));
            }
        }
        return stats;
    }

    /** Waits until server {@code name}'s status starts with {@code status} (UP or DOWN). */
    public ServerStats awaitStatus(String name, String status, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ServerStats current;
        do {
            current = stats().get(name);
            if (current != null && current.status().startsWith(status)) {
                return current;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("server " + name + " is not " + status + " after " + timeout + ": " + current);
    }

    /** Kills haproxy and deletes its directory. */
    @Override
    public void close() {
        guard.terminate();
        guard.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temp dir.
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        String log;
        try {
            log = Files.readString(log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("haproxy did not listen on " + port
                + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + ":\n" + log);
    }
}
