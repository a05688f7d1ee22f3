package dev.sparkgateway.compression;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body compressed on the fly. The first {@code minSize} bytes are held back (flushes
 * too): a body that ends within them goes out as it is, and only once it outgrows them does
 * {@code onStart} run (to set {@code Content-Encoding} before the first byte) and compression
 * begin. From then on every flush pushes what was written through to the client.
 *
 * <p>The owner ends the body one of two ways: {@link #finish()} completes the compressed stream
 * (the gzip trailer, zstd's last block), {@link #abandon()} delivers what was written without
 * ending it, so a client's decoder reports a truncated stream, never a complete one. Closing is
 * left to the HTTP layer, which owns {@code out}.
 */
public final class CompressingOutput extends OutputStream {

    private final OutputStream out;
    private final ContentCoding coding;
    private final int level;
    private final Runnable onStart;
    private final byte[] held;
    private int heldCount;
    private Gate gate;
    private OutputStream compressor;

    CompressingOutput(OutputStream out, ContentCoding coding, int level, int minSize, Runnable onStart) {
        this.out = out;
        this.coding = coding;
        this.level = level;
        this.onStart = onStart;
        this.held = new byte[minSize];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (compressor == null && heldCount + len <= held.length) {
            System.arraycopy(b, off, held, heldCount, len);
            heldCount += len;
            return;
        }
        if (compressor == null) {
            start();
        }
        compressor.write(b, off, len);
    }

    private void start() throws IOException {
        onStart.run();
        gate = new Gate(out);
        compressor = coding.open(gate, level);
        compressor.write(held, 0, heldCount);
    }

    /** Held bytes stay held; once compressing, a sync flush (decodable up to here, stream not ended). */
    @Override
    public void flush() throws IOException {
        if (compressor != null) {
            compressor.flush();
        }
    }

    /** True once the body outgrew {@code minSize} and is being compressed. */
    public boolean compressing() {
        return compressor != null;
    }

    /** Ends the body properly: the held bytes as they are, or the end of the compressed stream. */
    public void finish() throws IOException {
        if (compressor == null) {
            out.write(held, 0, heldCount);
        } else {
            compressor.close();
        }
        out.flush();
    }

    /**
     * After a failure: sends what was written (an in-band error included) and releases the
     * compressor without ending its stream, so it can never pass for complete. The caller still cuts
     * the HTTP body off.
     */
    public void abandon() throws IOException {
        if (compressor == null) {
            out.write(held, 0, heldCount);
            out.flush();
            return;
        }
        try {
            compressor.flush();
        } finally {
            gate.cut();
            compressor.close(); // frees the deflater / zstd context; the end it writes is dropped
        }
    }

    /** Passes bytes to the client until cut; never closes it. */
    private static final class Gate extends FilterOutputStream {
        private boolean cut;

        Gate(OutputStream out) {
            super(out);
        }

        void cut() {
            cut = true;
        }

        @Override
        public void write(int b) throws IOException {
            if (!cut) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!cut) {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!cut) {
                out.flush();
            }
        }

        @Override
        public void close() {
            // The HTTP layer closes the response.
        }
    }
}
