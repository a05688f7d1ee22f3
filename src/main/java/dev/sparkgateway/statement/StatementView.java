package dev.sparkgateway.statement;

import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.result.ResultColumn;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A statement as it was at one moment: immutable, and detached from the live statement.
 *
 * @param fingerprint equal for equal requests (a hash of the request): a listing can find the repeats of one
 * @param version     bumped by every change; SSE event ids
 * @param columns     null until Spark sent the schema
 * @param operationId null until Spark answered
 * @param failure     why it FAILED, or why the gateway CANCELED it; null otherwise (a plain DELETE too)
 */
public record StatementView(UUID id, String owner, String fingerprint, StatementState state, long version, Instant createdAt,
        Duration elapsed, Progress progress, List<ResultColumn> columns, String operationId, List<ChunkInfo> chunks,
        long rowCount, long byteCount, boolean truncated, GatewayException failure) {

    public StatementView {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(state, "state is null");
        columns = columns == null ? null : List.copyOf(columns);
        chunks = List.copyOf(chunks);
    }
}
