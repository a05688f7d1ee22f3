package dev.sparkgateway.statement;

import com.google.protobuf.ByteString;
import dev.sparkgateway.result.ArrowChunk;
import dev.sparkgateway.result.ResultColumn;
import dev.sparkgateway.result.ResultStream;

import java.util.List;

/**
 * A spooled chunk read back as a one-batch result for any encoder: its bytes as the
 * {@link ChunkStorage} gives them (a memory-mapped file), each fetch its own, so parallel fetches
 * do not interfere.
 */
public final class SpooledChunk implements ResultStream {

    private final List<ResultColumn> columns;
    private final ChunkInfo info;
    private final boolean truncated;
    private ArrowChunk chunk;

    private SpooledChunk(List<ResultColumn> columns, ChunkInfo info, boolean truncated, ArrowChunk chunk) {
        this.columns = columns;
        this.info = info;
        this.truncated = truncated;
        this.chunk = chunk;
    }

    static SpooledChunk of(ByteString ipc, List<ResultColumn> columns, ChunkInfo info, boolean truncated) {
        return new SpooledChunk(columns, info, truncated, new ArrowChunk(ipc, info.rowCount(), info.rowCount()));
    }

    public ChunkInfo info() {
        return info;
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public ArrowChunk next() {
        ArrowChunk next = chunk;
        chunk = null;
        return next;
    }

    /** True for the last chunk of a result the row limit cut. */
    @Override
    public boolean truncated() {
        return truncated;
    }
}
