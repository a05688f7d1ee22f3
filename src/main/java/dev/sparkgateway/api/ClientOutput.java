package dev.sparkgateway.api;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/**
 * The response body as the HTTP layer gives it: counts bytes for the request log and metrics, and
 * remembers whether the client went away. The HTTP layer's own signals say so: a write that fails,
 * or the connection found closed before a write (JAX-RS may drop writes to a closed connection
 * silently, so a client that left would otherwise be fed the whole result). An error's message
 * text never decides it.
 */
final class ClientOutput extends FilterOutputStream {

    private final BooleanSupplier closed;
    private long count;
    private boolean failed;

    /** @param closed true once the client's connection is closed */
    ClientOutput(OutputStream out, BooleanSupplier closed) {
        super(out);
        this.closed = closed;
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        try {
            out.write(b);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        try {
            out.write(b, off, len);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        count += len;
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        try {
            out.flush();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void checkOpen() throws IOException {
        if (closed.getAsBoolean()) {
            failed = true;
            throw new IOException("The client closed the connection");
        }
    }

    long count() {
        return count;
    }

    /** True once writing to the client failed: it closed the connection (or the network did). */
    boolean clientFailed() {
        return failed;
    }
}
