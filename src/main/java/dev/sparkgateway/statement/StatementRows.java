package dev.sparkgateway.statement;

import dev.sparkgateway.query.SparkOperation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A row of the {@code statements} table (db/migration) read as a {@link StatementView}. */
final class StatementRows {

    /** The columns {@link #view} reads. */
    static final String COLUMNS = "id, owner, fingerprint, state, version, created_at, ended_at, operation_id,"
            + " columns, progress, chunks, row_count, byte_count, truncated, failure";
    /** A statement that has not ended. */
    static final String UNFINISHED = "state IN ('PENDING', 'RUNNING')";

    private StatementRows() {
    }

    static StatementView view(ResultSet row) throws SQLException {
        Instant created = row.getTimestamp("created_at").toInstant();
        Instant ended = endedAt(row);
        Duration elapsed = Duration.between(created, ended != null ? ended : Instant.now());
        return new StatementView(row.getObject("id", UUID.class), row.getString("owner"), row.getString("fingerprint"),
                StatementState.valueOf(row.getString("state")), row.getLong("version"), created,
                elapsed.isNegative() ? Duration.ZERO : elapsed, StoredFields.progress(row.getString("progress")),
                StoredFields.columns(row.getString("columns")), row.getString("operation_id"),
                StoredFields.chunks(row.getString("chunks")), row.getLong("row_count"), row.getLong("byte_count"),
                row.getBoolean("truncated"), StoredFields.failure(row.getString("failure")));
    }

    /** The Spark operation of a row selected as (spark_user, spark_session, operation_id, spark_endpoint); null if none started. */
    static SparkOperation operation(ResultSet row) throws SQLException {
        String user = row.getString(1);
        String session = row.getString(2);
        String operation = row.getString(3);
        String endpoint = row.getString(4);
        if (user == null || session == null || operation == null) {
            return null;
        }
        return endpoint == null ? new SparkOperation(user, session, operation) : new SparkOperation(user, session, operation, endpoint);
    }

    static Instant endedAt(ResultSet row) throws SQLException {
        Timestamp ended = row.getTimestamp("ended_at");
        return ended == null ? null : ended.toInstant();
    }
}
