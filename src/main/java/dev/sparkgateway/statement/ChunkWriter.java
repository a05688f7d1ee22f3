package dev.sparkgateway.statement;

import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.result.ArrowChunk;
import dev.sparkgateway.result.ResultColumn;
import dev.sparkgateway.result.ResultEncoder;
import dev.sparkgateway.result.ResultFailedException;
import dev.sparkgateway.result.ResultStream;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Spools a running result into chunk files of about {@code chunkBytes}, each written by the Arrow
 * stream encoder and so a standalone Arrow IPC stream. Seen by the encoder as a result that ends
 * where the chunk ends; only one Spark batch is in memory at a time.
 */
final class ChunkWriter implements ResultStream {

    private final QueryResult source;
    private final Statement statement;
    private final Spool spool;
    private final ResultEncoder arrow;
    private final long chunkBytes;
    private ArrowChunk pending;
    private boolean exhausted;
    private RuntimeException failure;
    private long bytesInChunk;
    private long rowsInChunk;

    ChunkWriter(QueryResult source, Statement statement, Spool spool, ResultEncoder arrow, long chunkBytes) {
        this.source = source;
        this.statement = statement;
        this.spool = spool;
        this.arrow = arrow;
        this.chunkBytes = chunkBytes;
    }

    /** Writes every chunk; there is always at least one, so even an empty result has its schema. */
    void writeAll() throws IOException {
        int index = 0;
        long rowOffset = 0;
        do {
            bytesInChunk = 0;
            rowsInChunk = 0;
            long size;
            try (ChunkStorage.Output out = spool.create(statement.id(), index)) {
                arrow.encode(this, out.stream(), e -> Map.of());
                size = out.commit();
            } catch (ResultFailedException e) {
                // Keep Spark's own error (recorded by next()) rather than the encoder's wrapper.
                throw failure != null ? failure : new IllegalStateException(e.getMessage(), e.getCause());
            }
            statement.chunk(new ChunkInfo(index, rowOffset, rowsInChunk, size));
            rowOffset += rowsInChunk;
            index++;
        } while (hasMore());
    }

    @Override
    public List<ResultColumn> columns() {
        return source.columns();
    }

    @Override
    public ArrowChunk next() {
        if (bytesInChunk >= chunkBytes || exhausted) {
            return null;
        }
        ArrowChunk chunk = pending != null ? pending : pull();
        pending = null;
        if (chunk == null) {
            return null;
        }
        try {
            spool.reserve(statement.id(), chunk.ipc().size());
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
        bytesInChunk += chunk.ipc().size();
        rowsInChunk += chunk.keepRows();
        return chunk;
    }

    private boolean hasMore() {
        if (!exhausted && pending == null) {
            pending = pull();
        }
        return pending != null;
    }

    private ArrowChunk pull() {
        try {
            ArrowChunk chunk = source.next();
            exhausted = chunk == null;
            return chunk;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public boolean truncated() {
        return source.truncated();
    }
}
