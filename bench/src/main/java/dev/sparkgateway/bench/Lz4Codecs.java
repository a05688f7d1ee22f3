package dev.sparkgateway.bench;

import java.io.*;
import java.lang.management.*;
import java.nio.*;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
/**
 * Why the gateway's Arrow LZ4_FRAME codec uses lz4-java: the buffers of the compression workload's
 * columns (bigint, decimal128, utf8, date32) for N rows, LZ4-framed by lz4-java (the gateway's
 * Lz4FrameCodec) and by commons-compress (what Arrow Java's Lz4CompressionCodec runs). Run:
 * {@code java -cp bench/target/classes:$(cat bench/target/classpath) dev.sparkgateway.bench.Lz4Codecs 100000}.
 */
final class Lz4Codecs {
    public static void main(String[] a) throws Exception {
        int rows = Integer.parseInt(a[0]);
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        ByteBuffer offsets = ByteBuffer.allocate(4 * (rows + 1)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer ids = ByteBuffer.allocate(8 * rows).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer dec = ByteBuffer.allocate(16 * rows).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer dates = ByteBuffer.allocate(4 * rows).order(ByteOrder.LITTLE_ENDIAN);
        offsets.putInt(0);
        for (int i = 0; i < rows; i++) {
            ids.putLong(i); dec.putLong(i * 125L).putLong(0); dates.putInt(10957 + i % 20000);
            labels.write(("item-" + (i % 1000)).getBytes()); offsets.putInt(labels.size());
        }
        byte[][] buffers = {ids.array(), dec.array(), offsets.array(), labels.toByteArray(), dates.array()};
        long total = 0; for (byte[] b : buffers) total += b.length;
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        { // one round: commons-compress is slow enough that JIT warm-up does not matter
            long c = t.getCurrentThreadCpuTime(); long s1 = 0, s2 = 0;
            for (byte[] b : buffers) { ByteArrayOutputStream o = new ByteArrayOutputStream();
                try (OutputStream z = new LZ4FrameOutputStream(o, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB)) { z.write(b); } s1 += o.size(); }
            long mid = t.getCurrentThreadCpuTime();
            for (byte[] b : buffers) { ByteArrayOutputStream o = new ByteArrayOutputStream();
                try (OutputStream z = new FramedLZ4CompressorOutputStream(o)) { z.write(b); } s2 += o.size(); }
            long end = t.getCurrentThreadCpuTime();
            System.out.printf("%.1f MB of Arrow buffers: lz4-java %.3f s CPU -> %.2f MB; commons-compress (Arrow Java's Lz4CompressionCodec) %.3f s -> %.2f MB%n",
                total / 1e6, (mid - c) / 1e9, s1 / 1e6, (end - mid) / 1e9, s2 / 1e6);
        }
    }
}
