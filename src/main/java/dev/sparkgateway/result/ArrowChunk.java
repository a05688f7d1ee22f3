package dev.sparkgateway.result;

import com.google.protobuf.ByteString;

/**
 * One Spark Arrow batch.
 *
 * @param ipc      a complete Arrow IPC stream (schema, record batch, end-of-stream) exactly as Spark sent it
 * @param rowCount rows in the batch
 * @param keepRows how many leading rows to emit; less than {@code rowCount} only for the last batch
 *                 when a row limit cuts it
 */
public record ArrowChunk(ByteString ipc, long rowCount, long keepRows) {
}
