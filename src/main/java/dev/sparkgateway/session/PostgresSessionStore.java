package dev.sparkgateway.session;

import dev.sparkgateway.db.Jdbc;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named sessions in PostgreSQL (table {@code named_sessions}, migration V2), so every replica
 * behind a balancer can use, list, expire and delete any of them: a Spark session is addressed by
 * user, id and endpoint alone, and the server-side id recorded at creation makes a restarted server
 * answer SESSION_CHANGED on every replica alike.
 */
final class PostgresSessionStore implements SessionStore {

    private static final String COLUMNS = "id, owner, spark_user, restricted, endpoint, spark_session_id,"
            + " server_side_session_id, created_at, last_used_at, lost";

    private final Jdbc jdbc;

    PostgresSessionStore(DataSource db) {
        this.jdbc = new Jdbc(db, "session store");
    }

    @Override
    public boolean add(SessionRecord s, int maxPerOwner) {
        boolean[] added = {false};
        jdbc.inTransaction(c -> {
            // One owner's creates queue on its lock, so concurrent ones on several replicas cannot both pass the cap.
            Jdbc.query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", row -> null, "named_sessions:" + s.owner());
            long held = Jdbc.query(c, "SELECT count(*) FROM named_sessions WHERE owner = ?", row -> row.getLong(1),
                    s.owner()).get(0);
            if (held < maxPerOwner) {
                Jdbc.update(c, "INSERT INTO named_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        s.id(), s.owner(), s.user().name(), s.user().restricted(), s.endpoint(), s.sparkSessionId(),
                        s.serverSideSessionId(), Timestamp.from(s.createdAt()), Timestamp.from(s.lastUsedAt()), s.lost());
                added[0] = true;
            }
        });
        return added[0];
    }

    @Override
    public Optional<SessionRecord> get(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM named_sessions WHERE id = ?", PostgresSessionStore::record, id);
    }

    @Override
    public List<SessionRecord> owned(String owner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM named_sessions WHERE owner = ? ORDER BY created_at",
                PostgresSessionStore::record, owner);
    }

    @Override
    public void touch(String id, Instant at) {
        jdbc.update("UPDATE named_sessions SET last_used_at = greatest(last_used_at, ?) WHERE id = ?", Timestamp.from(at), id);
    }

    @Override
    public void observed(String id, String serverSideSessionId) {
        jdbc.update("UPDATE named_sessions SET server_side_session_id = ? WHERE id = ?", serverSideSessionId, id);
    }

    @Override
    public void markLost(String id) {
        jdbc.update("UPDATE named_sessions SET lost = true WHERE id = ?", id);
    }

    @Override
    public boolean remove(String id) {
        return jdbc.update("DELETE FROM named_sessions WHERE id = ?", id) == 1;
    }

    @Override
    public List<SessionRecord> expired(Instant idleBefore, Instant createdBefore) {
        return jdbc.query("SELECT " + COLUMNS + " FROM named_sessions WHERE last_used_at < ? OR created_at < ?",
                PostgresSessionStore::record, Timestamp.from(idleBefore), Timestamp.from(createdBefore));
    }

    private static SessionRecord record(ResultSet r) throws SQLException {
        return new SessionRecord(r.getString("id"), r.getString("owner"),
                new SparkUser(r.getString("spark_user"), r.getBoolean("restricted")), r.getString("endpoint"),
                r.getString("spark_session_id"), r.getString("server_side_session_id"),
                r.getTimestamp("created_at").toInstant(), r.getTimestamp("last_used_at").toInstant(), r.getBoolean("lost"));
    }
}
