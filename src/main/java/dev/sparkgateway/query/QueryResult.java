package dev.sparkgateway.query;

import dev.sparkgateway.connect.Execution;
import dev.sparkgateway.result.ArrowChunk;
import dev.sparkgateway.result.ResultColumn;
import dev.sparkgateway.result.ResultStream;
import dev.sparkgateway.session.SessionLease;
import org.apache.spark.connect.proto.ExecutePlanResponse;

import java.util.List;
import java.util.OptionalLong;

/**
 * A running query whose first batch has arrived, so the HTTP status is settled. Pulls Spark's
 * Arrow batches one at a time, applies the row limit and the caller's byte quota, and on close
 * interrupts an unfinished operation and gives the session back.
 */
public final class QueryResult implements ResultStream, AutoCloseable {

    private final SessionLease lease;
    private final Execution execution;
    private final Cancellation cancellation;
    private final List<ResultColumn> columns;
    private final OptionalLong limit;
    private final OptionalLong maxBytes;
    private long bytes;
    private boolean stopped;
    private ExecutePlanResponse pending;
    private long rows;
    private boolean truncated;
    private boolean closed;

    QueryResult(SessionLease lease, Execution execution, Cancellation cancellation, List<ResultColumn> columns,
            ExecutePlanResponse firstBatch, OptionalLong limit, OptionalLong maxBytes) {
        this.lease = lease;
        this.execution = execution;
        this.cancellation = cancellation;
        this.columns = columns;
        this.pending = firstBatch;
        this.limit = limit;
        this.maxBytes = maxBytes;
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public ArrowChunk next() {
        while (!stopped) {
            ExecutePlanResponse response;
            try {
                response = pending != null ? pending : execution.next();
            } catch (RuntimeException e) {
                throw cancellation.translate(e);
            }
            pending = null;
            if (response == null) {
                return null;
            }
            if (!response.hasArrowBatch()) {
                continue;
            }
            long count = response.getArrowBatch().getRowCount();
            long keep = limit.isPresent() ? Math.min(count, limit.getAsLong() - rows) : count;
            if (keep < count) {
                truncated = true;
                if (keep == 0) {
                    continue;
                }
            }
            long size = response.getArrowBatch().getData().size();
            if (keep > 0 && maxBytes.isPresent() && bytes + size > maxBytes.getAsLong()) {
                // The caller's quota: rows remain, so the result ends here truncated, as under a row limit.
                stopped = true;
                truncated = true;
                return null;
            }
            bytes += size;
            rows += keep;
            return new ArrowChunk(response.getArrowBatch().getData(), count, keep);
        }
        return null;
    }

    @Override
    public boolean truncated() {
        return truncated;
    }

    public String operationId() {
        return execution.operationId();
    }

    public long rows() {
        return rows;
    }

    /** Stops the Spark operation; safe from any thread (used when the HTTP client goes away). */
    public void cancel() {
        execution.cancel();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancellation.close();
        try {
            execution.close();
        } finally {
            lease.close();
        }
    }
}
