package dev.sparkgateway.statement;

import dev.sparkgateway.error.GatewayException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the gateway's statements are held, with each owner's Idempotency-Keys, and what it
 * remembers of those removed: in this process's memory ({@link InMemoryStatementStore}, the
 * default) or in PostgreSQL, shared by every replica ({@link PostgresStatementStore}). A statement
 * is run by the process that accepted it; the others see it as a mirror kept fresh from the store.
 * Implementations are thread-safe; {@link Statements} serialises this process's submits.
 */
public interface StatementStore {

    /** Why a statement is no longer held. */
    enum Removal { DELETED, EXPIRED, EVICTED }

    /** What is remembered of a removed statement, for its 404. */
    record Gone(Removal why, Instant at, String owner) {
    }

    /** Which statements a listing returns; each part empty for "any". */
    record Filter(Optional<StatementState> state, Optional<Instant> createdAfter, Optional<Instant> createdBefore,
            Optional<String> fingerprint) {

        public static final Filter ANY = new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        boolean matches(StatementView view) {
            return state.map(s -> s == view.state()).orElse(true)
                    && createdAfter.map(t -> view.createdAt().isAfter(t)).orElse(true)
                    && createdBefore.map(t -> view.createdAt().isBefore(t)).orElse(true)
                    && fingerprint.map(f -> view.fingerprint().startsWith(f)).orElse(true);
        }
    }

    /** What the statements this process runs tell the store of their changes. */
    Statement.Persistence persistence();

    /**
     * Holds a new statement, under its owner's {@code idempotencyKey} if given. If another
     * submit (of any replica) holds the key already, holds nothing and returns that statement.
     */
    Optional<Statement> add(Statement statement, Optional<String> idempotencyKey);

    /** The statement {@code owner} submitted under {@code idempotencyKey}; another owner's same key is another key. */
    Optional<Statement> byKey(String owner, String idempotencyKey);

    Optional<Statement> get(UUID id);

    /** Drops the statement and its key, remembering why; false if it was not held (any more). */
    boolean remove(Statement statement, Removal why);

    /** Why {@code id} was removed, if it was, recently enough to be remembered. */
    Optional<Gone> gone(UUID id);

    /** Cancels a statement that has not ended, wherever it runs; {@code reason} (null for a plain DELETE) becomes its error. */
    void cancel(Statement statement, GatewayException reason);

    /** DELETE of a finished statement: a SUCCEEDED one becomes CLOSED. False while it still runs. */
    boolean close(Statement statement);

    /**
     * Up to {@code limit} statements {@code access} allows and {@code filter} matches, newest first,
     * starting after {@code after}.
     */
    List<StatementView> list(StatementAccess access, Filter filter, int limit, Optional<StatementPage.Cursor> after);

    /** The statements this process runs or holds, in no order: for the abandoned check and shutdown. */
    List<Statement> local();

    /** Finished statements whose {@code ttl} passed, to remove (a shared store gives each to one replica only). */
    List<Statement> expired(Duration ttl);

    /** The statements that have not ended (of {@code owner} only, if given). */
    List<StatementView> running(Optional<String> owner);

    /** The finished statement that ended first: the one to evict when the store is full. */
    Optional<Statement> oldestEnded();

    int size();

    /** Statements held, by state. */
    Map<StatementState, Long> counts();
}
