package dev.sparkgateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the gateway keeps of a named session, in its {@link SessionStore}: enough for any replica
 * to address the Spark session (user and id on one endpoint) and to judge who may use it and
 * when it expires.
 *
 * @param id             the gateway's opaque id (never the Spark session id)
 * @param owner          the principal that created it; nobody else may see or use it
 * @param user           the Spark user and restriction it was created with
 * @param endpoint       the Spark Connect endpoint it lives on
 * @param sparkSessionId the Spark Connect session id
 * @param serverSideSessionId what the server answered for it at creation (null until then): sent
 *                       with every request, so a restarted server is told apart from the one that made it
 * @param createdAt      when it was created
 * @param lastUsedAt     when a request last started or ended in it
 * @param lost           the Spark server no longer has it (restart): every request now gets 410
 */
public record SessionRecord(String id, String owner, SparkUser user, String endpoint, String sparkSessionId,
        String serverSideSessionId, Instant createdAt, Instant lastUsedAt, boolean lost) {

    public SessionRecord {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(owner, "owner is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(endpoint, "endpoint is null");
        Objects.requireNonNull(sparkSessionId, "sparkSessionId is null");
        Objects.requireNonNull(createdAt, "createdAt is null");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt is null");
    }

    /** Whether {@code principal}, running as {@code as}, may see and use it: only its creator, with the same rights. */
    boolean ownedBy(String principal, SparkUser as) {
        return owner.equals(principal) && user.equals(as);
    }

    Instant expiresAt(Duration maxLifetime) {
        return createdAt.plus(maxLifetime);
    }

    /** When it ends unless a request uses it first (never after {@link #expiresAt}). */
    Instant idleExpiresAt(Duration idleTimeout, Duration maxLifetime) {
        Instant idle = lastUsedAt.plus(idleTimeout);
        Instant hard = expiresAt(maxLifetime);
        return idle.isBefore(hard) ? idle : hard;
    }

    SessionRecord touched(Instant at) {
        return at.isAfter(lastUsedAt) ? new SessionRecord(id, owner, user, endpoint, sparkSessionId, serverSideSessionId, createdAt, at, lost) : this;
    }

    SessionRecord markedLost() {
        return new SessionRecord(id, owner, user, endpoint, sparkSessionId, serverSideSessionId, createdAt, lastUsedAt, true);
    }

    SessionRecord observed(String serverSide) {
        return new SessionRecord(id, owner, user, endpoint, sparkSessionId, serverSide, createdAt, lastUsedAt, lost);
    }

    /** The Spark session it names, as a replica that did not create it addresses it. */
    dev.sparkgateway.connect.ConnectSession connect() {
        return dev.sparkgateway.connect.ConnectSession.existing(endpoint, user.name(), sparkSessionId, serverSideSessionId);
    }
}
