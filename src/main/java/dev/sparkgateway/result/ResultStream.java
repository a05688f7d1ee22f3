package dev.sparkgateway.result;

import java.io.IOException;
import java.util.List;

/** A query result being streamed from Spark. */
public interface ResultStream {

    List<ResultColumn> columns();

    /**
     * The next batch, or {@code null} when the result is complete.
     * Throws (typically a RuntimeException) if Spark fails mid-stream.
     */
    ArrowChunk next() throws IOException;

    /** Valid once {@link #next()} returned null: rows were dropped by the row limit. */
    boolean truncated();
}
