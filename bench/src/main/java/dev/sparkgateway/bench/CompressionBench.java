package dev.sparkgateway.bench;

import static dev.sparkgateway.bench.Bench.f;
import static dev.sparkgateway.bench.Bench.log;
import static dev.sparkgateway.bench.Bench.verdict;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPInputStream;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/**
 * Bytes on the wire and wall time per format and codec for one fixed query, straight to the gateway
 * and through a relay that paces the gateway's bytes to {@code bench.compression.mbit} (a slow
 * network hop on loopback). Every response is decoded and its rows counted, so a codec that broke
 * the body fails the run. Gateway CPU per request comes from /proc (utime + stime of its pid).
 */
final class CompressionBench {

    static final long ROWS = Long.parseLong(Bench.prop("bench.compression.rows", "1000000"));
    static final int ITER = Integer.parseInt(Bench.prop("bench.compression.iterations", "3"));
    static final double MBIT = Double.parseDouble(Bench.prop("bench.compression.mbit", "100"));
    static final long GATEWAY_PID = Long.parseLong(Bench.prop("bench.gateway.pid", "0"));
    static final String ARROW = Bench.ARROW;

    /** Four typed columns: integers, exact decimals, a low-cardinality string and dates. */
    static String sql(long rows) {
        return "SELECT id, CAST(id / 8 AS DECIMAL(18,3)) AS amount, concat('item-', id % 1000) AS label,"
                + " DATE_ADD(DATE'2000-01-01', CAST(id % 20000 AS INT)) AS d FROM range(0, " + rows + ", 1, 4)";
    }

    /** One variant: a format (Accept) and a coding (Accept-Encoding, or Arrow's codec parameter). */
    record Variant(String format, String coding, String accept, String acceptEncoding) {
        String name() {
            return format + " " + coding;
        }
    }

    record Result(double ms, long wireBytes, double cpuSeconds) {
    }

    static List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        for (String[] fmt : new String[][] {{"json", "application/json"}, {"ndjson", "application/x-ndjson"}, {"csv", "text/csv"}}) {
            v.add(new Variant(fmt[0], "plain", fmt[1], null));
            v.add(new Variant(fmt[0], "gzip", fmt[1], "gzip"));
            v.add(new Variant(fmt[0], "zstd", fmt[1], "zstd"));
        }
        v.add(new Variant("arrow", "plain", ARROW, null));
        v.add(new Variant("arrow", "zstd", ARROW + "; codec=zstd", null));
        v.add(new Variant("arrow", "lz4", ARROW + "; codec=lz4", null));
        return v;
    }

    static void run() throws Exception {
        String sql = sql(ROWS);
        log("compression: %d rows (%s), %d iterations, relay at %.0f Mbit/s", ROWS, sql, ITER, MBIT);
        Map<String, List<Result>> directRuns = new LinkedHashMap<>();
        Map<String, List<Result>> slowRuns = new LinkedHashMap<>();
        try (Relay relay = new Relay(URI.create(Bench.GATEWAY), MBIT)) {
            for (Variant v : variants()) {
                once(Bench.GATEWAY, sql, v); // warm-up of every code path before any measurement
                directRuns.put(v.name(), new ArrayList<>());
                slowRuns.put(v.name(), new ArrayList<>());
            }
            // Interleaved: each iteration runs every variant once, so drift of the shared machine hits all alike.
            for (int i = 0; i < ITER; i++) {
                for (Variant v : variants()) {
                    directRuns.get(v.name()).add(sample(Bench.GATEWAY, sql, v, i, ""));
                    slowRuns.get(v.name()).add(sample(relay.url(), sql, v, i, " relay"));
                }
            }
        }
        Map<String, Result> direct = new LinkedHashMap<>();
        Map<String, Result> slow = new LinkedHashMap<>();
        for (Variant v : variants()) {
            direct.put(v.name(), median(directRuns.get(v.name())));
            slow.put(v.name(), median(slowRuns.get(v.name())));
            Result d = direct.get(v.name());
            log("  %-12s %8.2f MB  direct %6.0f ms (gateway CPU %.2f s)  at %.0f Mbit/s %6.0f ms", v.name(),
                    d.wireBytes / 1e6, d.ms, d.cpuSeconds, MBIT, slow.get(v.name()).ms);
        }
        for (Variant v : variants()) {
            if (v.coding.equals("plain")) {
                continue;
            }
            Result plain = direct.get(v.format + " plain");
            Result r = direct.get(v.name());
            double byteRatio = (double) r.wireBytes / plain.wireBytes;
            double slowRatio = slow.get(v.name()).ms / slow.get(v.format + " plain").ms;
            boolean arrowZstd = v.name().equals("arrow zstd");
            boolean jsonGzip = v.name().equals("json gzip");
            Bench.LINES.add(new Bench.Line("compression " + v.name() + " (" + ROWS + " rows)", "MB on the wire",
                    f(r.wireBytes / 1e6), f(plain.wireBytes / 1e6), f(byteRatio), arrowZstd ? "≤ 0.5" : "",
                    arrowZstd ? verdict(byteRatio <= 0.5) : ""));
            Bench.LINES.add(new Bench.Line("compression " + v.name(), "wall ms at " + f(MBIT) + " Mbit/s",
                    f(slow.get(v.name()).ms), f(slow.get(v.format + " plain").ms), f(slowRatio), jsonGzip ? "≤ 0.33" : "",
                    jsonGzip ? verdict(slowRatio <= 1 / 3.0) : ""));
            Bench.LINES.add(new Bench.Line("compression " + v.name(), "wall ms direct (gateway CPU s)",
                    f(r.ms) + " (" + f(r.cpuSeconds) + ")", f(plain.ms) + " (" + f(plain.cpuSeconds) + ")", f(r.ms / plain.ms), "", ""));
        }
    }

    static Result sample(String base, String sql, Variant v, int iteration, String suffix) throws Exception {
        Result r = once(base, sql, v);
        Bench.SAMPLES.add(new Bench.Sample("compression " + v.name() + suffix, "gateway", iteration, r.ms, ROWS, r.wireBytes));
        return r;
    }

    /** The run of median wall time (its bytes and CPU with it). */
    static Result median(List<Result> runs) {
        List<Result> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.ms, b.ms));
        return sorted.get(sorted.size() / 2);
    }

    static Result once(String base, String sql, Variant v) throws Exception {
        String body = "{\"sql\":\"" + sql.replace("\"", "\\\"") + "\"}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/sql"))
                .header("Content-Type", "application/json").header("Accept", v.accept)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (v.acceptEncoding != null) {
            request.header("Accept-Encoding", v.acceptEncoding);
        }
        double cpu = cpuSeconds();
        long start = System.nanoTime();
        HttpResponse<InputStream> resp = Bench.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        long rows;
        Bench.CountingInputStream wire = new Bench.CountingInputStream(resp.body());
        try (wire) {
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + new String(wire.readAllBytes(), StandardCharsets.UTF_8));
            }
            String coding = resp.headers().firstValue("Content-Encoding").orElse("plain");
            String expected = v.acceptEncoding == null ? "plain" : v.acceptEncoding;
            if (!coding.equals(expected)) {
                throw new IllegalStateException(v.name() + ": Content-Encoding " + coding);
            }
            InputStream decoded = switch (coding) {
                case "gzip" -> new GZIPInputStream(wire, 1 << 16);
                case "zstd" -> new ZstdInputStream(wire);
                default -> wire;
            };
            InputStream keepOpen = new java.io.FilterInputStream(decoded) {
                @Override
                public void close() {} // the counters close their source; the rest is still drained below
            };
            rows = switch (v.format) {
                case "json" -> Bench.countJson(keepOpen);
                case "ndjson" -> Bench.countNdjson(keepOpen);
                case "csv" -> Bench.countCsv(keepOpen);
                default -> countArrow(keepOpen);
            };
            decoded.transferTo(OutputStream.nullOutputStream()); // a decoder checks the end of its stream here
            wire.transferTo(OutputStream.nullOutputStream());
        }
        double ms = (System.nanoTime() - start) / 1e6;
        Bench.check(rows, ROWS, v.name());
        return new Result(ms, wire.count, cpuSeconds() - cpu);
    }

    static long countArrow(InputStream in) throws IOException {
        long rows = 0;
        try (ArrowStreamReader reader = new ArrowStreamReader(in, Bench.ALLOC, CommonsCompressionFactory.INSTANCE)) {
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        return rows;
    }

    /** The gateway process's user + system CPU seconds (NaN without its pid). */
    static double cpuSeconds() throws IOException {
        return cpuSeconds(GATEWAY_PID);
    }

    /** Process {@code pid}'s user + system CPU seconds (NaN without a pid). */
    static double cpuSeconds(long pid) throws IOException {
        if (pid <= 0) {
            return Double.NaN;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in USER_HZ (100)
    }

    /**
     * A loopback TCP relay in front of the gateway that paces the response direction to {@code mbit}
     * (requests pass unpaced): what a client across a slow link sees.
     */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final URI target;
        private final double bytesPerNano;

        Relay(URI target, double mbit) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.target = target;
            this.bytesPerNano = mbit * 1e6 / 8 / 1e9;
            Thread accept = new Thread(this::accept, "relay-accept");
            accept.setDaemon(true);
            accept.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(target.getHost(), target.getPort());
                    pump(client, upstream, false);
                    pump(upstream, client, true);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean paced) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                long start = System.nanoTime();
                long sent = 0;
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        if (paced) {
                            // Never ahead of the link: the bytes sent so far may leave only after their time.
                            long due = start + (long) ((sent + n) / bytesPerNano);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            } else if (wait < -50_000_000L) {
                                start -= wait; // an idle gap (waiting for Spark) earns no burst credit
                            }
                        }
                        out.write(buf, 0, n);
                        out.flush();
                        sent += n;
                    }
                } catch (IOException e) {
                    // One side closed: close both below.
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }, "relay");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private CompressionBench() {
    }
}
