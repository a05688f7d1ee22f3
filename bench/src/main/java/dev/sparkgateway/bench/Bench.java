package dev.sparkgateway.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.SparkSession;

/**
 * Gateway vs the official Spark Connect JVM client ("baseline"), both against the same Spark
 * Connect server. Every workload alternates gateway and baseline runs after a warm-up, so slow
 * drift (JIT, GC, Spark caches) hits both sides alike. Configured by system properties (see
 * {@code bench/run}); writes {@code results/latest.md} and {@code results/latest.csv}.
 */
public final class Bench {

    // --- configuration --------------------------------------------------------------------------
    static final String GATEWAY = prop("bench.gateway.url", "http://127.0.0.1:8080");
    static final String SPARK = prop("bench.spark.url", "sc://127.0.0.1:15002");
    static final String MEM_GATEWAY = prop("bench.memory.gateway.url", "");
    static final long MEM_PID = Long.parseLong(prop("bench.memory.gateway.pid", "0"));
    static final long ROWS = Long.parseLong(prop("bench.rows", "5000000"));
    static final int PARTS = Integer.parseInt(prop("bench.partitions", "20"));
    static final int WARMUP = Integer.parseInt(prop("bench.warmup", "4"));
    static final int ITER = Integer.parseInt(prop("bench.iterations", "5"));
    static final int LAT_WARMUP = Integer.parseInt(prop("bench.latency.warmup", "50"));
    static final int LAT_N = Integer.parseInt(prop("bench.latency.requests", "200"));
    static final int[] CONC = Arrays.stream(prop("bench.concurrency", "1,4,16,64").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    static final double CONC_SECONDS = Double.parseDouble(prop("bench.concurrency.seconds", "10"));
    static final double WARM_SECONDS = Double.parseDouble(prop("bench.concurrency.warmup.seconds", "3"));
    static final long MEM_ROWS = Long.parseLong(prop("bench.memory.rows", "10000000"));
    static final int MEM_PARTS = Integer.parseInt(prop("bench.memory.partitions", "100"));
    static final int POOL_N = Integer.parseInt(prop("bench.newsession.requests", "30"));
    static final Path OUT = Path.of(prop("bench.out", "results"));
    static final String WORKLOADS = prop("bench.workloads", "arrow,json,ndjson,typed-json,typed-csv,compression,latency,auth,concurrency,memory,streams,newsession,front");
    /** A gateway in api-key mode on the same Spark, and two of its keys: an admin's and a restricted analyst's. */
    static final String AUTH_GATEWAY = prop("bench.auth.gateway.url", "");
    static final String AUTH_ADMIN_KEY = prop("bench.auth.admin-key", "");
    static final String AUTH_ANALYST_KEY = prop("bench.auth.analyst-key", "");
    /** The gateway's Spark Connect front door as a client URL with a key (sc://localhost:port/;token=...). */
    static final String FRONT = prop("bench.front.url", "");
    /**
     * Warm-up runs per side before the front's throughput is measured. The front gateway serves
     * nothing else, and a profile of it (docs/performance.md) put 55–60 % of its CPU in C2
     * compiling Netty's and gRPC's paths during its first runs, stolen from Spark and the client.
     */
    /** The front gateway's pid: its CPU per relayed run is reported. */
    static final long FRONT_PID = Long.parseLong(prop("bench.front.pid", "0"));
    static final int FRONT_WARMUP = Integer.parseInt(prop("bench.front.warmup", "10"));

    static final String ARROW = "application/vnd.apache.arrow.stream";
    static final JsonFactory JSON = new JsonFactory();

    static String prop(String k, String d) {
        String v = System.getProperty(k);
        return v == null || v.isBlank() ? d : v;
    }

    // --- results --------------------------------------------------------------------------------
    /** One raw measurement: a CSV line. */
    record Sample(String workload, String side, int iteration, double ms, long rows, long bytes) {}

    /** One line of the summary table. */
    record Line(String workload, String metric, String gateway, String baseline, String ratio, String goal, String verdict) {}

    static final List<Sample> SAMPLES = new ArrayList<>();
    static final List<Line> LINES = new ArrayList<>();
    static final List<String> NOTES = new ArrayList<>();

    static void log(String fmt, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %tT] " + fmt + "%n", prepend(Instant.now().atZone(java.time.ZoneId.systemDefault()), args));
        System.out.flush();
    }

    static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    // --- clients --------------------------------------------------------------------------------
    static final ExecutorService HTTP_POOL = Executors.newFixedThreadPool(4, daemon("http"));
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(HTTP_POOL)
            .build();
    static final BufferAllocator ALLOC = new RootAllocator();
    static SparkSession spark;
    static RawGrpc RAW;

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static String rangeSql(long n, int p) {
        return "SELECT id, id*2 AS x, CAST(id AS STRING) AS s FROM range(0, " + n + ", 1, " + p + ")";
    }

    /**
     * The decimal and temporal columns the result writers have their own code for (digits without
     * BigDecimal, ISO text without java.time), next to the id, so the bench covers those paths too.
     */
    static String typedSql(long n, int p) {
        return "SELECT id, CAST(id / 8 AS DECIMAL(18,3)) AS amount, TIMESTAMP_MICROS(1700000000000000 + id * 1000003) AS ts,"
                + " DATE_ADD(DATE'2000-01-01', CAST(id % 20000 AS INT)) AS d FROM range(0, " + n + ", 1, " + p + ")";
    }

    static HttpRequest post(String base, String sql, String accept) {
        String body = "{\"sql\":\"" + sql.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return HttpRequest.newBuilder(URI.create(base + "/v1/sql"))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** Counts rows of a gateway response in the given format; returns {rows, bytes}. */
    static long[] gatewayCount(HttpClient http, String base, String sql, String accept) throws Exception {
        HttpResponse<InputStream> resp = http.send(post(base, sql, accept), HttpResponse.BodyHandlers.ofInputStream());
        try (CountingInputStream in = new CountingInputStream(resp.body())) {
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            InputStream keepOpen = new java.io.FilterInputStream(in) {
                @Override
                public void close() {} // readers close their source; we still drain and count it
            };
            long rows = switch (accept) {
                case ARROW -> countArrow(keepOpen);
                case "application/json" -> countJson(keepOpen);
                case "application/x-ndjson" -> countNdjson(keepOpen);
                case "text/csv" -> countCsv(keepOpen);
                default -> throw new IllegalArgumentException(accept);
            };
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new long[] {rows, in.count};
        }
    }

    /**
     * Counts an Arrow IPC stream's rows the way {@link RawGrpc} counts Spark's batches: from each
     * record batch's header, reading the body's bytes without decoding them into vectors. So the
     * pass-through's ratio to the raw consumer compares the same client work on both sides. (Until
     * 2026-12-07 it decoded every batch with Arrow Java's ArrowStreamReader: docs/performance.md.)
     */
    static long countArrow(InputStream in) throws IOException {
        java.io.DataInputStream data = new java.io.DataInputStream(in);
        byte[] scratch = new byte[64 << 10];
        long rows = 0;
        while (true) {
            int length = Integer.reverseBytes(data.readInt());
            if (length == -1) { // continuation marker, then the metadata length
                length = Integer.reverseBytes(data.readInt());
            }
            if (length == 0) {
                return rows;
            }
            byte[] metadata = new byte[length];
            data.readFully(metadata);
            org.apache.arrow.flatbuf.Message message =
                    org.apache.arrow.flatbuf.Message.getRootAsMessage(java.nio.ByteBuffer.wrap(metadata));
            if (message.headerType() == org.apache.arrow.flatbuf.MessageHeader.RecordBatch) {
                rows += ((org.apache.arrow.flatbuf.RecordBatch) message.header(new org.apache.arrow.flatbuf.RecordBatch())).length();
            }
            for (long body = message.bodyLength(); body > 0; ) {
                int n = data.read(scratch, 0, (int) Math.min(scratch.length, body));
                if (n < 0) {
                    throw new java.io.EOFException("Arrow stream ended inside a message body");
                }
                body -= n;
            }
        }
    }

    /** {"schema":[...],"rows":[[...],...],"rowCount":N,...}: counts the elements of "rows". */
    static long countJson(InputStream in) throws IOException {
        long rows = 0;
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("rows".equals(name)) {
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        p.skipChildren();
                        rows++;
                    }
                } else if ("error".equals(name)) {
                    throw new IOException("gateway reported an error mid-stream");
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) throw new IOException("truncated JSON");
        }
        return rows;
    }

    /** Line 1 {"schema":...}, one array per row, last line {"rowCount":N,...}. */
    static long countNdjson(InputStream in) throws IOException {
        long rows = 0;
        boolean trailer = false;
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    rows++;
                } else if (t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        if ("error".equals(name)) throw new IOException("gateway reported an error mid-stream");
                        if ("rowCount".equals(name)) trailer = true;
                        p.nextToken();
                        p.skipChildren();
                    }
                    continue;
                }
                p.skipChildren();
            }
        }
        if (!trailer) throw new IOException("NDJSON without trailer line");
        return rows;
    }

    /** A header line, then one line per row (the bench queries have no line breaks inside values). */
    static long countCsv(InputStream in) throws IOException {
        long lines = 0;
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') lines++;
            }
        }
        return lines - 1;
    }

    static long baselineCount(SparkSession s, String sql) {
        Iterator<Row> it = s.sql(sql).toLocalIterator();
        long n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }

    // --- stats ----------------------------------------------------------------------------------
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double[] sorted(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    static String f(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (Math.abs(v) >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String verdict(boolean ok) {
        return ok ? "met" : "**missed**";
    }

    // --- workloads ------------------------------------------------------------------------------
    interface Run {
        long[] run() throws Exception; // {rows, bytes}
    }

    static void throughput(String workload, String accept, double goal) throws Exception {
        throughput(workload, rangeSql(ROWS, PARTS), accept, goal);
    }

    /** Ratio goals of the gateway over the raw gRPC consumer (issue #17), by workload; others report the ratio only. */
    static double rawGoal(String workload) {
        return switch (workload) {
            case "arrow" -> 1.10;
            case "json" -> 1.5;
            default -> Double.NaN;
        };
    }

    static void throughput(String workload, String sql, String accept, double goal) throws Exception {
        log("%s: %d rows, %d partitions; warm-up %d, iterations %d (alternating gateway, JVM client, raw gRPC)",
                workload, ROWS, PARTS, WARMUP, ITER);
        Run gw = () -> gatewayCount(HTTP, GATEWAY, sql, accept);
        Run bl = () -> new long[] {baselineCount(spark, sql), 0};
        Run raw = () -> RAW.count(sql);
        List<Run> sides = List.of(gw, bl, raw);
        List<String> names = List.of("gateway", "baseline", "raw-grpc");
        for (int i = 0; i < WARMUP; i++) {
            for (int s = 0; s < sides.size(); s++) {
                check(sides.get(s).run()[0], ROWS, workload + " " + names.get(s) + " warm-up");
            }
        }
        List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < ITER; i++) {
            // rotate which side goes first, too
            for (int k = 0; k < sides.size(); k++) {
                int s = (i + k) % sides.size();
                long t0 = System.nanoTime();
                long[] res = sides.get(s).run();
                double ms = (System.nanoTime() - t0) / 1e6;
                check(res[0], ROWS, workload + " " + names.get(s));
                SAMPLES.add(new Sample(workload, names.get(s), i, ms, res[0], res[1]));
                times.get(s).add(ms);
                log("  %s #%d %s: %.0f ms (%.2f M rows/s%s)", workload, i, names.get(s), ms, res[0] / ms / 1000,
                        res[1] > 0 ? String.format(Locale.ROOT, ", %.1f MB", res[1] / 1e6) : "");
            }
        }
        double[] gs = sorted(times.get(0)), bs = sorted(times.get(1)), rs = sorted(times.get(2));
        double ratio = pct(gs, 50) / pct(bs, 50);
        String title = workload + " (" + ROWS + " rows, P=" + PARTS + ")";
        LINES.add(new Line(title, "wall ms: median (min–max)", spread(gs), spread(bs), f(ratio), "≤ " + goal, verdict(ratio <= goal)));
        double rawRatio = pct(gs, 50) / pct(rs, 50);
        double rawGoal = rawGoal(workload);
        LINES.add(new Line(title, "vs raw gRPC consumer: wall ms median (min–max)", spread(gs), spread(rs), f(rawRatio),
                Double.isNaN(rawGoal) ? "—" : "≤ " + rawGoal, Double.isNaN(rawGoal) ? "—" : verdict(rawRatio <= rawGoal)));
    }

    static String spread(double[] sorted) {
        return f(pct(sorted, 50)) + " (" + f(sorted[0]) + "–" + f(sorted[sorted.length - 1]) + ")";
    }

    static void check(long got, long want, String what) {
        if (got != want) throw new IllegalStateException(what + ": expected " + want + " rows, got " + got);
    }

    static final String ONE = "SELECT 1";

    static void gatewayOne(HttpClient http) throws Exception {
        HttpResponse<String> r = http.send(post(GATEWAY, ONE, "application/json"), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"rows\":[[1]]")) {
            throw new IllegalStateException("SELECT 1 -> HTTP " + r.statusCode() + " " + r.body());
        }
    }

    static void baselineOne(SparkSession s) {
        List<Row> rows = s.sql(ONE).collectAsList();
        if (rows.size() != 1 || rows.get(0).getInt(0) != 1) throw new IllegalStateException("SELECT 1 -> " + rows);
    }

    static void latency() throws Exception {
        log("latency: SELECT 1, warm-up %d, %d interleaved pairs (order alternating)", LAT_WARMUP, LAT_N);
        for (int i = 0; i < LAT_WARMUP; i++) {
            gatewayOne(HTTP);
            baselineOne(spark);
        }
        List<Double> g = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < LAT_N; i++) {
            double[] ms = new double[2];
            for (int k = 0; k < 2; k++) {
                boolean gateway = (i % 2 == 0) == (k == 0);
                long t0 = System.nanoTime();
                if (gateway) gatewayOne(HTTP); else baselineOne(spark);
                ms[gateway ? 0 : 1] = (System.nanoTime() - t0) / 1e6;
            }
            g.add(ms[0]);
            b.add(ms[1]);
            SAMPLES.add(new Sample("latency", "gateway", i, ms[0], 1, 0));
            SAMPLES.add(new Sample("latency", "baseline", i, ms[1], 1, 0));
        }
        double[] gs = sorted(g), bs = sorted(b);
        for (int p : new int[] {50, 90, 99}) {
            double d = pct(gs, p) - pct(bs, p);
            LINES.add(new Line("latency SELECT 1 (" + LAT_N + " interleaved)", "p" + p + " ms",
                    f(pct(gs, p)), f(pct(bs, p)),
                    p == 50 ? deltaWithSpread(g, b) : "Δ " + (d >= 0 ? "+" : "") + f(d) + " ms",
                    p == 50 ? "Δp50 ≤ 1 ms" : "", p == 50 ? verdict(d <= 1) : ""));
        }
        log("  p50 gateway %.2f ms, baseline %.2f ms", pct(gs, 50), pct(bs, 50));
    }

    /**
     * "Δ +x ms (95% CI lo…hi)": the difference of the two medians with a bootstrap interval over the
     * interleaved pairs (2000 resamples, fixed seed), so "within 1 ms" can be claimed or refuted.
     */
    static String deltaWithSpread(List<Double> g, List<Double> b) {
        int n = g.size();
        java.util.Random random = new java.util.Random(17);
        double[] deltas = new double[2000];
        double[] rg = new double[n], rb = new double[n];
        for (int r = 0; r < deltas.length; r++) {
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                rg[i] = g.get(j);
                rb[i] = b.get(j);
            }
            Arrays.sort(rg);
            Arrays.sort(rb);
            deltas[r] = pct(rg, 50) - pct(rb, 50);
        }
        Arrays.sort(deltas);
        double d = pct(sorted(g), 50) - pct(sorted(b), 50);
        return "Δ " + (d >= 0 ? "+" : "") + f(d) + " ms (95% CI " + f(pct(deltas, 2.5)) + "…" + f(pct(deltas, 97.5)) + ")";
    }

    static void selectOne(String base, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/sql"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\":\"" + ONE + "\"}"));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"rows\":[[1]]")) {
            throw new IllegalStateException("SELECT 1 -> HTTP " + r.statusCode() + " " + r.body());
        }
    }

    static void list(String base, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/statements?limit=1")).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/statements -> HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * What authentication costs: SELECT 1 on the none-mode gateway against the same through an
     * api-key gateway (an admin key, and a restricted analyst's key whose sessions carry the SQL
     * policy mark), all on one Spark server, alternating so drift hits all three alike.
     */
    static void auth() throws Exception {
        if (AUTH_GATEWAY.isEmpty()) {
            NOTES.add("auth: skipped (no -Dbench.auth.gateway.url)");
            return;
        }
        log("auth: SELECT 1, none vs api-key (admin, analyst), warm-up %d, %d sequential requests each", LAT_WARMUP, LAT_N);
        for (int i = 0; i < LAT_WARMUP; i++) {
            selectOne(GATEWAY, null);
            selectOne(AUTH_GATEWAY, AUTH_ADMIN_KEY);
            selectOne(AUTH_GATEWAY, AUTH_ANALYST_KEY);
        }
        List<Double> none = new ArrayList<>(), admin = new ArrayList<>(), analyst = new ArrayList<>();
        String[] sides = {"none", "api-key-admin", "api-key-analyst"};
        for (int i = 0; i < LAT_N; i++) {
            // The order rotates, so that whichever request follows a pause (or another's) is each side in turn.
            for (int k = 0; k < 3; k++) {
                int side = (i + k) % 3;
                long t0 = System.nanoTime();
                switch (side) {
                    case 0 -> selectOne(GATEWAY, null);
                    case 1 -> selectOne(AUTH_GATEWAY, AUTH_ADMIN_KEY);
                    default -> selectOne(AUTH_GATEWAY, AUTH_ANALYST_KEY);
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                (side == 0 ? none : side == 1 ? admin : analyst).add(ms);
                SAMPLES.add(new Sample("auth", sides[side], i, ms, 1, 0));
            }
        }
        // The gateway alone, no Spark call: GET /v1/statements (an empty list) isolates what the key check costs.
        List<Double> listNone = new ArrayList<>(), listKeyed = new ArrayList<>();
        for (int i = 0; i < LAT_WARMUP + LAT_N; i++) {
            for (int k = 0; k < 2; k++) {
                boolean keyed = (i + k) % 2 == 1;
                long t0 = System.nanoTime();
                list(keyed ? AUTH_GATEWAY : GATEWAY, keyed ? AUTH_ADMIN_KEY : null);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (i >= LAT_WARMUP) {
                    (keyed ? listKeyed : listNone).add(ms);
                }
            }
        }
        double[] ln = sorted(listNone), lk = sorted(listKeyed);
        double ld = pct(lk, 50) - pct(ln, 50);
        LINES.add(new Line("auth GET /v1/statements, no Spark (api-key vs none)", "p50 ms", f(pct(lk, 50)), f(pct(ln, 50)),
                "Δ " + (ld >= 0 ? "+" : "") + f(ld) + " ms", "", ""));
        double[] n = sorted(none), a = sorted(admin), r = sorted(analyst);
        for (String who : List.of("admin", "analyst")) {
            double[] keyed = who.equals("admin") ? a : r;
            double d = pct(keyed, 50) - pct(n, 50);
            LINES.add(new Line("auth SELECT 1 (api-key " + who + " vs none)", "p50 ms", f(pct(keyed, 50)), f(pct(n, 50)),
                    "Δ " + (d >= 0 ? "+" : "") + f(d) + " ms", "Δp50 ≤ 1 ms", verdict(d <= 1)));
        }
        log("  p50 none %.2f ms, api-key admin %.2f ms, api-key analyst %.2f ms", pct(n, 50), pct(a, 50), pct(r, 50));
    }

    /** Runs {@code threads} closed-loop clients for {@code seconds}; returns latencies in ms. */
    static List<Double> closedLoop(int threads, double seconds, Callable<Void> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("client"));
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<List<Double>>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                List<Double> lat = new ArrayList<>();
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    call.call();
                    lat.add((System.nanoTime() - t0) / 1e6);
                }
                return lat;
            }));
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : fs) all.addAll(f.get());
        pool.shutdownNow();
        return all;
    }

    static void concurrency() throws Exception {
        for (int c : CONC) {
            log("concurrency %d: %.0f s per side, gateway (JDK HttpClient, %d-thread pool) then baseline (%d threads sharing one SparkSession)",
                    c, CONC_SECONDS, c, c);
            ExecutorService exec = Executors.newFixedThreadPool(c, daemon("http-" + c));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(exec).build();
            // concurrent warm-up of both sides at this concurrency, so the gateway's session pool
            // has grown to c sessions (up to its max) before the measured window
            closedLoop(c, WARM_SECONDS, () -> { gatewayOne(http); return null; });
            closedLoop(c, WARM_SECONDS, () -> { baselineOne(spark); return null; });
            List<Double> g = closedLoop(c, CONC_SECONDS, () -> { gatewayOne(http); return null; });
            List<Double> b = closedLoop(c, CONC_SECONDS, () -> { baselineOne(spark); return null; });
            exec.shutdownNow();
            double gq = g.size() / CONC_SECONDS, bq = b.size() / CONC_SECONDS;
            double[] gs = sorted(g), bs = sorted(b);
            SAMPLES.add(new Sample("concurrency-" + c + "-qps", "gateway", 0, gq, g.size(), 0));
            SAMPLES.add(new Sample("concurrency-" + c + "-qps", "baseline", 0, bq, b.size(), 0));
            SAMPLES.add(new Sample("concurrency-" + c + "-p99", "gateway", 0, pct(gs, 99), g.size(), 0));
            SAMPLES.add(new Sample("concurrency-" + c + "-p99", "baseline", 0, pct(bs, 99), b.size(), 0));
            double ratio = gq / bq;
            LINES.add(new Line("concurrency " + c + " × SELECT 1 (" + f(CONC_SECONDS) + " s)", "QPS",
                    f(gq), f(bq), f(ratio), c == 16 ? "≥ 0.95" : "", c == 16 ? verdict(ratio >= 0.95) : ""));
            LINES.add(new Line("concurrency " + c + " × SELECT 1 (" + f(CONC_SECONDS) + " s)", "p50 / p99 ms",
                    f(pct(gs, 50)) + " / " + f(pct(gs, 99)), f(pct(bs, 50)) + " / " + f(pct(bs, 99)),
                    f(pct(gs, 99) / pct(bs, 99)) + " (p99)", "", ""));
            log("  c=%d gateway %.0f QPS p99 %.1f ms; baseline %.0f QPS p99 %.1f ms", c, gq, pct(gs, 99), bq, pct(bs, 99));
        }
    }

    static long vmHwmKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** Resets VmHWM to the current RSS (Linux: write 5 to clear_refs); false if not allowed. */
    static boolean resetHwm(long pid) {
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void memory() throws Exception {
        if (MEM_GATEWAY.isEmpty() || MEM_PID <= 0) {
            NOTES.add("memory: skipped (no -Xmx128m gateway given: bench.memory.gateway.url / bench.memory.gateway.pid)");
            return;
        }
        String sql = rangeSql(MEM_ROWS, MEM_PARTS);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String[] fmt : new String[][] {{"json", "application/json"}, {"arrow", ARROW}}) {
            boolean reset = resetHwm(MEM_PID);
            long before = vmHwmKb(MEM_PID);
            log("memory %s: %d rows, P=%d through the -Xmx128m gateway (pid %d), VmHWM before %d MB%s", fmt[0], MEM_ROWS, MEM_PARTS,
                    MEM_PID, before / 1024, reset ? " (reset)" : " (not resettable: cumulative)");
            long t0 = System.nanoTime();
            String outcome;
            long[] res = {0, 0};
            try {
                res = gatewayCount(http, MEM_GATEWAY, sql, fmt[1]);
                outcome = res[0] == MEM_ROWS ? "success" : "**wrong row count " + res[0] + "**";
            } catch (Exception e) {
                outcome = "**failed: " + e.getMessage().lines().findFirst().orElse("") + "**";
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            long hwm = vmHwmKb(MEM_PID);
            SAMPLES.add(new Sample("memory-" + fmt[0], "gateway", 0, ms, res[0], res[1]));
            SAMPLES.add(new Sample("memory-" + fmt[0] + "-vmhwm-kb", "gateway", 0, hwm, res[0], res[1]));
            LINES.add(new Line("memory " + fmt[0] + " (" + MEM_ROWS + " rows, P=" + MEM_PARTS + ", -Xmx128m)",
                    "outcome; peak RSS (VmHWM)" + (reset ? "" : ", cumulative"),
                    outcome + "; " + hwm / 1024 + " MB; " + f(ms / 1000) + " s, " + f(res[1] / 1e6) + " MB body",
                    "", "", "succeeds", verdict(outcome.equals("success"))));
            log("  memory %s: %s, VmHWM %d MB, %.1f s", fmt[0], outcome, hwm / 1024, ms / 1000);
        }
    }

    /**
     * The Spark Connect front door (issue #15): the official JVM client through the gateway's gRPC
     * front against the same client straight to Spark. Throughput: a {@code toLocalIterator} of
     * {@code bench.rows} rows, alternating sides; latency: {@code collect} of SELECT 1, interleaved,
     * with the p50 difference's spread (its interquartile range over blocks of 20 pairs).
     */
    static void front() throws Exception {
        if (FRONT.isEmpty()) {
            NOTES.add("front: skipped (no -Dbench.front.url)");
            return;
        }
        SparkSession viaFront = SparkSession.builder().remote(FRONT).create();
        try {
            String sql = rangeSql(ROWS, PARTS);
            log("front: %d rows, %d partitions, toLocalIterator; warm-up %d, iterations %d (alternating)", ROWS, PARTS, FRONT_WARMUP, ITER);
            for (int i = 0; i < FRONT_WARMUP; i++) {
                check(baselineCount(viaFront, sql), ROWS, "front warm-up");
                check(baselineCount(spark, sql), ROWS, "direct warm-up");
            }
            List<Double> g = new ArrayList<>(), b = new ArrayList<>();
            double relayCpu = 0;
            for (int i = 0; i < ITER; i++) {
                for (int k = 0; k < 2; k++) {
                    boolean front = (i + k) % 2 == 0;
                    double cpu0 = CompressionBench.cpuSeconds(FRONT_PID);
                    long t0 = System.nanoTime();
                    check(baselineCount(front ? viaFront : spark, sql), ROWS, front ? "front" : "direct");
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (front) {
                        relayCpu += CompressionBench.cpuSeconds(FRONT_PID) - cpu0;
                    }
                    (front ? g : b).add(ms);
                    SAMPLES.add(new Sample("front-iterator", front ? "gateway" : "baseline", i, ms, ROWS, 0));
                    log("  front #%d %s: %.0f ms (%.2f M rows/s)", i, front ? "front" : "direct", ms, ROWS / ms / 1000);
                }
            }
            double[] gs = sorted(g), bs = sorted(b);
            double throughput = pct(bs, 50) / pct(gs, 50);
            LINES.add(new Line("front: toLocalIterator (" + ROWS + " rows, P=" + PARTS + ")",
                    "wall ms: median (min–max); ratio = throughput front ÷ direct",
                    f(pct(gs, 50)) + " (" + f(gs[0]) + "–" + f(gs[gs.length - 1]) + ")",
                    f(pct(bs, 50)) + " (" + f(bs[0]) + "–" + f(bs[bs.length - 1]) + ")",
                    f(throughput), "≥ 0.95", verdict(throughput >= 0.95)));
            if (FRONT_PID > 0) {
                LINES.add(new Line("front: the gateway's CPU per relayed run", "CPU ms (user + system), mean of " + ITER,
                        f(relayCpu * 1000 / ITER), "", "", "", ""));
                log("  front gateway CPU %.0f ms per run", relayCpu * 1000 / ITER);
            }

            interleaved("front-select1", "front: collect SELECT 1 (" + LAT_N + " interleaved)", true, LAT_WARMUP,
                    () -> baselineOne(viaFront), () -> baselineOne(spark));
            // The relay's own cost per call, without Spark's job machinery: one unary RPC each side,
            // then SELECT 1 as one ExecutePlan of its SQL relation, without the client's other calls.
            try (RawGrpc rawFront = new RawGrpc(FRONT); RawGrpc rawDirect = new RawGrpc(SPARK)) {
                interleaved("front-rpc", "front: one AnalyzePlan(spark_version) RPC (" + LAT_N + " interleaved)", false, LAT_WARMUP,
                        rawFront::sparkVersion, rawDirect::sparkVersion);
                interleaved("front-raw-select1", "front: SELECT 1 as one raw ExecutePlan (" + LAT_N + " interleaved)", false,
                        LAT_WARMUP / 4, () -> check(rawFront.count("SELECT 1")[0], 1, "raw SELECT 1"),
                        () -> check(rawDirect.count("SELECT 1")[0], 1, "raw SELECT 1"));
            }
        } finally {
            try {
                viaFront.close();
            } catch (RuntimeException e) { // the client's allocator may report leaked iterator buffers, as for the baseline
                log("front session close: %s", e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    interface Call {
        void run() throws Exception;
    }

    /**
     * {@code warmup} pairs, then {@code bench.latency.requests} pairs in alternating order; adds the
     * samples and a p50 line with the difference's bootstrap interval (against the 1 ms goal if {@code goal}).
     */
    static void interleaved(String sample, String title, boolean goal, int warmup, Call front, Call direct) throws Exception {
        for (int i = 0; i < warmup; i++) {
            front.run();
            direct.run();
        }
        List<Double> g = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < LAT_N; i++) {
            boolean frontFirst = i % 2 == 0;
            double[] ms = new double[2];
            for (int k = 0; k < 2; k++) {
                boolean isFront = frontFirst == (k == 0);
                long t0 = System.nanoTime();
                (isFront ? front : direct).run();
                ms[isFront ? 0 : 1] = (System.nanoTime() - t0) / 1e6;
            }
            g.add(ms[0]);
            b.add(ms[1]);
            SAMPLES.add(new Sample(sample, "gateway", i, ms[0], 1, 0));
            SAMPLES.add(new Sample(sample, "baseline", i, ms[1], 1, 0));
        }
        double[] gs = sorted(g), bs = sorted(b);
        double d = pct(gs, 50) - pct(bs, 50);
        LINES.add(new Line(title, "p50 ms", f(pct(gs, 50)), f(pct(bs, 50)), deltaWithSpread(g, b),
                goal ? "Δp50 ≤ 1 ms" : "", goal ? verdict(d <= 1) : ""));
        log("  %s p50 %.3f ms, direct %.3f ms", sample, pct(gs, 50), pct(bs, 50));
    }

    static void newSession() throws Exception {
        log("session pool value: %d × SELECT 1, gateway (pooled) vs baseline with a new SparkSession per query (create + close)", POOL_N);
        List<Double> g = new ArrayList<>(), b = new ArrayList<>();
        for (int i = -3; i < POOL_N; i++) {
            long t0 = System.nanoTime();
            gatewayOne(HTTP);
            long t1 = System.nanoTime();
            SparkSession s = SparkSession.builder().remote(SPARK).create();
            try {
                baselineOne(s);
            } finally {
                s.close();
            }
            long t2 = System.nanoTime();
            if (i < 0) continue; // warm-up
            g.add((t1 - t0) / 1e6);
            b.add((t2 - t1) / 1e6);
            SAMPLES.add(new Sample("newsession", "gateway", i, (t1 - t0) / 1e6, 1, 0));
            SAMPLES.add(new Sample("newsession", "baseline", i, (t2 - t1) / 1e6, 1, 0));
        }
        double[] gs = sorted(g), bs = sorted(b);
        LINES.add(new Line("session pool: SELECT 1 vs new SparkSession per query (" + POOL_N + ")", "p50 / p90 ms",
                f(pct(gs, 50)) + " / " + f(pct(gs, 90)), f(pct(bs, 50)) + " / " + f(pct(bs, 90)),
                f(pct(gs, 50) / pct(bs, 50)) + " (p50)", "< 1", verdict(pct(gs, 50) < pct(bs, 50))));
        log("  p50 gateway %.2f ms, new-session baseline %.2f ms", pct(gs, 50), pct(bs, 50));
    }

    // --- main -----------------------------------------------------------------------------------
    public static void main(String[] args) throws Exception {
        Instant start = Instant.now();
        log("gateway %s, spark %s, workloads %s", GATEWAY, SPARK, WORKLOADS);
        spark = SparkSession.builder().remote(SPARK).getOrCreate();
        RAW = new RawGrpc(SPARK);
        List<String> todo = List.of(WORKLOADS.split(","));
        try {
            if (todo.contains("arrow")) throughput("arrow", ARROW, 1.05);
            if (todo.contains("json")) throughput("json", "application/json", 1.3);
            if (todo.contains("ndjson")) throughput("ndjson", "application/x-ndjson", 1.3);
            if (todo.contains("typed-json")) throughput("typed-json", typedSql(ROWS, PARTS), "application/json", 1.3);
            if (todo.contains("typed-csv")) throughput("typed-csv", typedSql(ROWS, PARTS), "text/csv", 1.3);
            if (todo.contains("compression")) CompressionBench.run();
            if (todo.contains("latency")) latency();
            if (todo.contains("auth")) auth();
            if (todo.contains("concurrency")) concurrency();
            if (todo.contains("newsession")) newSession();
            if (todo.contains("memory")) memory();
            if (todo.contains("streams")) StreamsBench.run();
            if (todo.contains("front")) front();
        } finally {
            write(start);
            try {
                spark.close();
            } catch (RuntimeException e) { // the client's own allocator may report leaked iterator buffers
                log("baseline session close: %s", e.getMessage().lines().findFirst().orElse(""));
            }
        }
        log("done in %d s", Duration.between(start, Instant.now()).toSeconds());
        System.exit(0); // client threads (gRPC) are not all daemons
    }

    static void write(Instant start) throws IOException {
        Files.createDirectories(OUT);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(OUT.resolve("latest.csv")))) {
            w.println("workload,side,iteration,value,rows,bytes");
            for (Sample s : SAMPLES) {
                w.printf(Locale.ROOT, "%s,%s,%d,%.3f,%d,%d%n", s.workload, s.side, s.iteration, s.ms, s.rows, s.bytes);
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(OUT.resolve("latest.md")))) {
            w.println("# Benchmark: gateway vs Spark Connect JVM client 4.0.0");
            w.println();
            w.printf(Locale.ROOT, "Run %s (%d s), %d cores, Java %s. Gateway %s, Spark Connect %s (one local[2] server for both sides).%n",
                    start, Duration.between(start, Instant.now()).toSeconds(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), GATEWAY, SPARK);
            w.printf(Locale.ROOT, "Sizes: rows=%d partitions=%d warmup=%d iterations=%d; latency %d (+%d warm-up); concurrency %s × %.0f s; memory rows=%d P=%d.%n",
                    ROWS, PARTS, WARMUP, ITER, LAT_N, LAT_WARMUP, Arrays.toString(CONC), CONC_SECONDS, MEM_ROWS, MEM_PARTS);
            w.println();
            w.println("Ratio = gateway / baseline for times, gateway / baseline for QPS (higher is better there).");
            w.println("Baseline: `toLocalIterator()` row count (throughput), `collectAsList()` (SELECT 1); concurrency threads share one SparkSession.");
            w.println();
            w.println("| workload | metric | gateway | baseline | ratio | goal | verdict |");
            w.println("|---|---|---|---|---|---|---|");
            for (Line l : LINES) {
                w.printf("| %s | %s | %s | %s | %s | %s | %s |%n", l.workload, l.metric, l.gateway, l.baseline, l.ratio, l.goal, l.verdict);
            }
            for (String n : NOTES) w.println("\n" + n);
        }
        log("wrote %s and %s", OUT.resolve("latest.md"), OUT.resolve("latest.csv"));
        Files.readAllLines(OUT.resolve("latest.md")).forEach(System.out::println);
    }

    /** Counts the bytes read from a response body. */
    static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }

    private Bench() {}
}
