package dev.sparkgateway.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.connect.SparkSession;

/**
 * Many large streams at once, as a shared gateway serves them: N concurrent JSON results through the
 * small-heap gateway (bench/run starts it with -Xmx128m) against N official clients iterating the same
 * query directly, each with its own session. Reports aggregate rows/s of both sides and the gateway's
 * peak RSS over the run (VmHWM, reset first where the kernel allows).
 */
final class StreamsBench {

    static final int N = Integer.parseInt(Bench.prop("bench.streams.n", "16"));
    static final long ROWS = Long.parseLong(Bench.prop("bench.streams.rows", "2000000"));
    static final int PARTS = Integer.parseInt(Bench.prop("bench.streams.partitions", "4"));
    static final int ITER = Integer.parseInt(Bench.prop("bench.streams.iterations", "2"));

    private StreamsBench() {
    }

    static void run() throws Exception {
        if (Bench.MEM_GATEWAY.isEmpty() || Bench.MEM_PID <= 0) {
            Bench.NOTES.add("streams: skipped (no small-heap gateway: bench.memory.gateway.url / bench.memory.gateway.pid)");
            return;
        }
        String sql = Bench.rangeSql(ROWS, PARTS);
        ExecutorService pool = Executors.newFixedThreadPool(N, Bench.daemon("streams"));
        // One HTTP client per stream, so no connection pool of the harness serialises them.
        List<HttpClient> https = new ArrayList<>();
        List<SparkSession> sessions = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            https.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
            sessions.add(SparkSession.builder().remote(Bench.SPARK).create());
        }
        try {
            Bench.log("streams: %d concurrent %d-row JSON streams through the -Xmx128m gateway vs %d direct iterators; warm-up 1, iterations %d",
                    N, ROWS, N, ITER);
            boolean reset = Bench.resetHwm(Bench.MEM_PID);
            all(pool, i -> Bench.gatewayCount(https.get(i), Bench.MEM_GATEWAY, sql, "application/json")[0]);
            all(pool, i -> Bench.baselineCount(sessions.get(i), sql));
            List<Double> g = new ArrayList<>(), b = new ArrayList<>();
            for (int it = 0; it < ITER; it++) {
                for (int k = 0; k < 2; k++) {
                    boolean gateway = (it + k) % 2 == 0;
                    long t0 = System.nanoTime();
                    if (gateway) {
                        all(pool, i -> Bench.gatewayCount(https.get(i), Bench.MEM_GATEWAY, sql, "application/json")[0]);
                    } else {
                        all(pool, i -> Bench.baselineCount(sessions.get(i), sql));
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    double rowsPerSec = N * ROWS / (ms / 1000);
                    (gateway ? g : b).add(rowsPerSec);
                    Bench.SAMPLES.add(new Bench.Sample("streams", gateway ? "gateway" : "baseline", it, ms, N * ROWS, 0));
                    Bench.log("  streams #%d %s: %.0f ms, %.2f M rows/s aggregate", it, gateway ? "gateway" : "direct", ms, rowsPerSec / 1e6);
                }
            }
            long hwm = Bench.vmHwmKb(Bench.MEM_PID);
            double gm = Bench.pct(Bench.sorted(g), 50), bm = Bench.pct(Bench.sorted(b), 50);
            double ratio = gm / bm;
            Bench.LINES.add(new Bench.Line("streams: " + N + " × " + ROWS + " rows JSON, -Xmx128m gateway",
                    "aggregate M rows/s (median); gateway peak RSS" + (reset ? "" : " (cumulative)"),
                    Bench.f(gm / 1e6) + "; VmHWM " + hwm / 1024 + " MB", Bench.f(bm / 1e6), Bench.f(ratio),
                    "≥ 0.9, no OOM", Bench.verdict(ratio >= 0.9)));
        } finally {
            pool.shutdownNow();
            for (SparkSession s : sessions) {
                try {
                    s.close();
                } catch (RuntimeException e) { // the client's allocator may report leaked iterator buffers
                    Bench.log("streams session close: %s", e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
    }

    interface Stream {
        long rows(int index) throws Exception;
    }

    /** Runs N streams at once and checks every row count. */
    private static void all(ExecutorService pool, Stream stream) throws Exception {
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            int index = i;
            Callable<Long> call = () -> stream.rows(index);
            futures.add(pool.submit(call));
        }
        for (Future<Long> f : futures) {
            Bench.check(f.get(), ROWS, "streams");
        }
    }
}
