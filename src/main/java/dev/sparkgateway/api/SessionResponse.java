package dev.sparkgateway.api;

import dev.sparkgateway.session.NamedSession;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A named session as its owner sees it. */
@Schema(name = "Session", description = "A named session: temp views, SET, USE and cached tables persist in it",
        requiredProperties = {"sessionId", "state", "createdAt", "lastUsedAt", "expiresAt", "idleExpiresAt"})
public record SessionResponse(
        @Schema(description = "Opaque, unguessable id: send it as X-Session-Id to run in this session") String sessionId,
        @Schema(description = "ACTIVE, or LOST: the Spark server lost it (restart) and requests in it get 410",
                enumeration = {"ACTIVE", "LOST"}) String state,
        @Schema(description = "ISO-8601 instant") String createdAt,
        @Schema(description = "When a request last started or ended in it") String lastUsedAt,
        @Schema(description = "When it ends however busy (gateway.sessions.max-lifetime)") String expiresAt,
        @Schema(description = "When it ends unless a request uses it first (gateway.sessions.idle-timeout)") String idleExpiresAt) {

    static SessionResponse of(NamedSession s) {
        return new SessionResponse(s.id(), s.lost() ? "LOST" : "ACTIVE", s.createdAt().toString(), s.lastUsedAt().toString(),
                s.expiresAt().toString(), s.idleExpiresAt().toString());
    }
}
