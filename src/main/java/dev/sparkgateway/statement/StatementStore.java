package dev.sparkgateway.statement;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the gateway's statements are held, with each owner's Idempotency-Keys, and what it
 * remembers of those removed. {@link InMemoryStatementStore} is the only one so far: a restart
 * forgets everything. Implementations are thread-safe; {@link Statements} serialises submits.
 */
public interface StatementStore {

    /** Why a statement is no longer held. */
    enum Removal { DELETED, EXPIRED, EVICTED }

    /** What is remembered of a removed statement, for its 404. */
    record Gone(Removal why, Instant at, String owner) {
    }

    /** Holds a new statement, under its owner's {@code idempotencyKey} if given. */
    void add(Statement statement, Optional<String> idempotencyKey);

    /** The statement {@code owner} submitted under {@code idempotencyKey}; another owner's same key is another key. */
    Optional<Statement> byKey(String owner, String idempotencyKey);

    Optional<Statement> get(UUID id);

    /** Drops the statement and its key, remembering why; false if it was not held (any more). */
    boolean remove(Statement statement, Removal why);

    /** Why {@code id} was removed, if it was, recently enough to be remembered. */
    Optional<Gone> gone(UUID id);

    /**
     * Up to {@code limit} statements {@code access} allows, newest first ({@link StatementPage#NEWEST_FIRST}),
     * only those in {@code state} if given, starting after {@code after}.
     */
    List<Statement> list(StatementAccess access, Optional<StatementState> state, int limit, Optional<StatementPage.Cursor> after);

    /** Every statement held, in no order: for the reaper and shutdown. */
    List<Statement> all();

    /** The statements that have not ended (of {@code owner} only, if given). */
    List<Statement> running(Optional<String> owner);

    /** The finished statement that ended first: the one to evict when the store is full. */
    Optional<Statement> oldestEnded();

    int size();

    /** Statements held, by state. */
    Map<StatementState, Long> counts();
}
