package dev.sparkgateway.statement;

import com.google.protobuf.UnsafeByteOperations;
import dev.sparkgateway.result.ArrowChunk;
import dev.sparkgateway.result.ResultColumn;
import dev.sparkgateway.result.ResultStream;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A spooled chunk read back as a one-batch result for any encoder. The file is memory-mapped, not
 * read into the heap, and each fetch maps it anew, so parallel fetches do not interfere; on Linux
 * a mapping stays valid even if the statement is closed (file deleted) meanwhile.
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

    static SpooledChunk open(Path file, List<ResultColumn> columns, ChunkInfo info, boolean truncated) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return new SpooledChunk(columns, info, truncated,
                    new ArrowChunk(UnsafeByteOperations.unsafeWrap(mapped), info.rowCount(), info.rowCount()));
        }
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
