package dev.sparkgateway.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.zip.GZIPOutputStream;

/**
 * Why gateway.compression.gzip-level defaults to 1: CPU and size of gzip levels 1, 6 (the JDK's
 * default) and 9 on the JSON body of the compression workload's rows, written in 64 KiB pieces
 * with a sync flush per MiB as the gateway does. Run:
 * {@code java -cp bench/target/classes dev.sparkgateway.bench.GzipLevels}.
 */
final class GzipLevels {

    public static void main(String[] args) throws IOException {
        byte[] body = body(Long.parseLong(System.getProperty("rows", "1000000")));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) { // the first round warms the JIT
            for (int level : new int[] {1, 6, 9}) {
                long cpu = threads.getCurrentThreadCpuTime();
                int size = gzip(body, level);
                if (round == 1) {
                    System.out.printf("gzip-%d: %.1f MB -> %.2f MB, %.2f s CPU%n", level, body.length / 1e6, size / 1e6,
                            (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
                }
            }
        }
    }

    /** The rows of CompressionBench.sql as the gateway's JSON writes them. */
    static byte[] body(long rows) {
        StringBuilder s = new StringBuilder("{\"schema\":[],\"rows\":[");
        for (long id = 0; id < rows; id++) {
            s.append(id == 0 ? "[" : ",[").append(id).append(",\"").append(BigDecimal.valueOf(id).divide(BigDecimal.valueOf(8)).setScale(3))
                    .append("\",\"item-").append(id % 1000).append("\",\"").append(LocalDate.of(2000, 1, 1).plusDays(id % 20000)).append("\"]");
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static int gzip(byte[] body, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16, true) {
            {
                def.setLevel(level);
            }
        }) {
            for (int off = 0; off < body.length; off += 1 << 16) {
                gz.write(body, off, Math.min(1 << 16, body.length - off));
                if (off % (1 << 20) == 0) {
                    gz.flush();
                }
            }
        }
        return out.size();
    }

    private GzipLevels() {
    }
}
