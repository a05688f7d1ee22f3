package dev.sparkgateway.statement;

import dev.sparkgateway.result.ResultColumn;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A consistent snapshot of a statement.
 *
 * @param columns null until Spark sent the schema
 * @param failed  an error is attached ({@link Statement#failure})
 */
public record StatementView(Statement statement, UUID id, String owner, StatementState state, long version, Instant createdAt,
        Duration elapsed, Progress progress, List<ResultColumn> columns, String operationId, List<ChunkInfo> chunks,
        long rowCount, long byteCount, boolean truncated, boolean failed) {
}
