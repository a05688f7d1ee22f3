package dev.sparkgateway.session;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The named sessions of this gateway alone. */
final class InMemorySessionStore implements SessionStore {

    private final Map<String, SessionRecord> sessions = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean add(SessionRecord session, int maxPerOwner) {
        // Synchronized with the count, so concurrent creates cannot both pass the cap.
        if (owned(session.owner()).size() >= maxPerOwner) {
            return false;
        }
        sessions.put(session.id(), session);
        return true;
    }

    @Override
    public Optional<SessionRecord> get(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public List<SessionRecord> owned(String owner) {
        return sessions.values().stream().filter(s -> s.owner().equals(owner))
                .sorted(Comparator.comparing(SessionRecord::createdAt)).toList();
    }

    @Override
    public void touch(String id, Instant at) {
        sessions.computeIfPresent(id, (k, s) -> s.touched(at));
    }

    @Override
    public void observed(String id, String serverSideSessionId) {
        sessions.computeIfPresent(id, (k, s) -> s.observed(serverSideSessionId));
    }

    @Override
    public void markLost(String id) {
        sessions.computeIfPresent(id, (k, s) -> s.markedLost());
    }

    @Override
    public boolean remove(String id) {
        return sessions.remove(id) != null;
    }

    @Override
    public List<SessionRecord> expired(Instant idleBefore, Instant createdBefore) {
        return sessions.values().stream()
                .filter(s -> s.lastUsedAt().isBefore(idleBefore) || s.createdAt().isBefore(createdBefore)).toList();
    }
}
