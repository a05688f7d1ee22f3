package dev.sparkgateway.session;

import java.time.Instant;

/**
 * A named session as its owner sees it.
 *
 * @param id            the gateway's id, sent back as {@code X-Session-Id}
 * @param createdAt     when it was created
 * @param lastUsedAt    when a request last started or ended in it
 * @param expiresAt     when it ends however busy ({@code gateway.sessions.max-lifetime})
 * @param idleExpiresAt when it ends unless a request uses it first ({@code gateway.sessions.idle-timeout})
 * @param lost          the Spark server lost it: requests in it get 410
 */
public record NamedSession(String id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, Instant idleExpiresAt,
        boolean lost) {
}
