package dev.sparkgateway.statement;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One spooled result chunk: a standalone Arrow IPC stream on disk.
 *
 * @param index     0-based
 * @param rowOffset rows in the chunks before this one
 * @param rowCount  rows in this chunk
 * @param byteCount size of the Arrow IPC stream
 */
@Schema(requiredProperties = {"index", "rowOffset", "rowCount", "byteCount"})
public record ChunkInfo(int index, long rowOffset, long rowCount, long byteCount) {
}
