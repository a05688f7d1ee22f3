package dev.sparkgateway.statement;

import dev.sparkgateway.error.GatewayException;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The statements of this gateway process, in its memory only: a restart forgets them (their ids then answer 404). */
public class InMemoryStatementStore implements StatementStore {

    /** Why the latest removed ids are gone, for their 404; older ones get the general message. */
    private static final int REMEMBERED_REMOVALS = 10_000;

    /** An Idempotency-Key is its owner's own. */
    private record Key(String owner, String key) {
    }

    private final Map<UUID, Statement> statements = new ConcurrentHashMap<>();
    private final Map<Key, Statement> byKey = new ConcurrentHashMap<>();
    private final Map<UUID, Gone> gone = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Gone> eldest) {
            return size() > REMEMBERED_REMOVALS;
        }
    });

    /** The statements' clock: when one was removed, for its 404. */
    private final Clock clock;

    public InMemoryStatementStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Statement.Persistence persistence() {
        return Statement.Persistence.NONE;
    }

    @Override
    public synchronized Optional<Statement> add(Statement statement, Optional<String> idempotencyKey) {
        if (idempotencyKey.isPresent()) {
            Statement held = byKey.putIfAbsent(new Key(statement.owner(), idempotencyKey.get()), statement);
            if (held != null) {
                return Optional.of(held);
            }
        }
        statements.put(statement.id(), statement);
        return Optional.empty();
    }

    @Override
    public Optional<Statement> byKey(String owner, String idempotencyKey) {
        return Optional.ofNullable(byKey.get(new Key(owner, idempotencyKey)));
    }

    @Override
    public Optional<Statement> get(UUID id) {
        return Optional.ofNullable(statements.get(id));
    }

    @Override
    public synchronized boolean remove(Statement statement, Removal why) {
        if (!statements.remove(statement.id(), statement)) {
            return false;
        }
        gone.put(statement.id(), new Gone(why, clock.instant(), statement.owner()));
        byKey.values().remove(statement);
        return true;
    }

    @Override
    public Optional<Gone> gone(UUID id) {
        return Optional.ofNullable(gone.get(id));
    }

    @Override
    public void cancel(Statement statement, GatewayException reason) {
        statement.cancel(reason);
    }

    @Override
    public boolean close(Statement statement) {
        return statement.close();
    }

    @Override
    public List<StatementView> list(StatementAccess access, Filter filter, int limit, Optional<StatementPage.Cursor> after) {
        return statements.values().stream()
                .filter(s -> access.allows(s.owner()))
                .map(Statement::view)
                .filter(filter::matches)
                .filter(v -> after.isEmpty() || after.get().isBefore(v))
                .sorted(StatementPage.NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    @Override
    public List<Statement> local() {
        return List.copyOf(statements.values());
    }

    @Override
    public List<Statement> expired(Duration ttl) {
        return statements.values().stream().filter(s -> s.endedBefore(ttl)).toList();
    }

    @Override
    public List<StatementView> running(Optional<String> owner) {
        return statements.values().stream()
                .filter(s -> !s.ended() && (owner.isEmpty() || owner.get().equals(s.owner())))
                .map(Statement::view)
                .toList();
    }

    @Override
    public Optional<Statement> oldestEnded() {
        return statements.values().stream()
                .filter(s -> s.endedNanos() != Long.MAX_VALUE)
                .min(Comparator.comparingLong(Statement::endedNanos));
    }

    @Override
    public int size() {
        return statements.size();
    }

    @Override
    public Map<StatementState, Long> counts() {
        Map<StatementState, Long> counts = new EnumMap<>(StatementState.class);
        for (StatementState s : StatementState.values()) {
            counts.put(s, 0L);
        }
        statements.values().forEach(s -> counts.merge(s.state(), 1L, Long::sum));
        return counts;
    }
}
