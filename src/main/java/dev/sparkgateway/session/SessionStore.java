package dev.sparkgateway.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where named sessions are recorded. In memory for one gateway; a store shared by replicas (as
 * the statements' PostgreSQL store is) makes a session usable from any of them, since a Spark
 * session is addressed by user, id and endpoint alone.
 */
public interface SessionStore {

    /** Records {@code session} unless its owner holds {@code maxPerOwner} already; false then. */
    boolean add(SessionRecord session, int maxPerOwner);

    Optional<SessionRecord> get(String id);

    /** The sessions {@code owner} holds, oldest first. */
    List<SessionRecord> owned(String owner);

    /** A request started or ended in the session at {@code at}. */
    void touch(String id, Instant at);

    /** The server-side id the Spark server gave the session when it was set up. */
    void observed(String id, String serverSideSessionId);

    /** The Spark server lost the session. */
    void markLost(String id);

    /** Forgets the session; true if this call did (so exactly one caller releases it on Spark). */
    boolean remove(String id);

    /** Sessions last used before {@code idleBefore} or created before {@code createdBefore}. */
    List<SessionRecord> expired(Instant idleBefore, Instant createdBefore);
}
