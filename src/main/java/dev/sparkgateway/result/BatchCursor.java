package dev.sparkgateway.result;

import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/**
 * Walks a result batch by batch for the row-oriented encoders, holding at most one decoded batch.
 * Honours {@link ArrowChunk#keepRows()} and skips empty batches.
 */
final class BatchCursor implements AutoCloseable {

    /** Output buffer for every encoder: large enough to amortize writes, small next to one batch. */
    static final int OUTPUT_BUFFER_BYTES = 64 * 1024;

    private final ResultStream result;
    private final BufferAllocator allocator;
    private ArrowStreamReader reader;
    /** Rows the current chunk may still emit. */
    private long remaining;
    private int rows;
    private ValueWriter[] writers;

    /** @param allocator owned by the caller; must outlive this cursor */
    BatchCursor(ResultStream result, BufferAllocator allocator) {
        this.result = result;
        this.allocator = allocator;
    }

    /** Moves to the next batch with rows to emit; false once the result is complete. */
    boolean advance() throws ResultFailedException {
        try {
            while (true) {
                if (reader != null && remaining > 0 && reader.loadNextBatch()) {
                    VectorSchemaRoot root = reader.getVectorSchemaRoot();
                    rows = (int) Math.min(root.getRowCount(), remaining);
                    remaining -= rows;
                    if (rows > 0) {
                        writers = writersFor(root);
                        return true;
                    }
                    continue;
                }
                closeReader();
                ArrowChunk chunk = ResultFailedException.next(result);
                if (chunk == null) {
                    return false;
                }
                reader = new ArrowStreamReader(chunk.ipc().newInput(), allocator);
                remaining = chunk.keepRows();
            }
        } catch (IOException | RuntimeException e) {
            throw new ResultFailedException(e);
        }
    }

    private ValueWriter[] writersFor(VectorSchemaRoot root) {
        List<FieldVector> vectors = root.getFieldVectors();
        ValueWriter[] result = new ValueWriter[vectors.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = ValueWriter.forVector(vectors.get(i), reader);
        }
        return result;
    }

    /** A per-response allocator, so a leak shows up (and is freed) at the end of that response. */
    static BufferAllocator childAllocator(BufferAllocator parent, String name) {
        return parent.newChildAllocator(name, 0, Long.MAX_VALUE);
    }

    /** Rows to emit from the current batch. */
    int rows() {
        return rows;
    }

    /** One writer per column of the current batch, valid until the next {@link #advance()}. */
    ValueWriter[] writers() {
        return writers;
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            ArrowStreamReader r = reader;
            reader = null;
            writers = null;
            r.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeReader();
    }
}
