package dev.sparkgateway.session;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one request runs: on a pooled session of its Spark user (stateless, the default), or in
 * the named session it joined ({@code X-Session-Id}), which must be {@code principal}'s and have
 * been created for the same {@code user}.
 *
 * @param principal the caller, who must own a joined session
 * @param user      the Spark user (and restriction) the caller runs as
 * @param sessionId the named session joined, or empty for a pooled one
 */
public record SessionScope(String principal, SparkUser user, Optional<String> sessionId) {

    public SessionScope {
        Objects.requireNonNull(principal, "principal is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(sessionId, "sessionId is null");
    }

    /** A pooled session of {@code user}: nothing of one request is seen by the next. */
    public static SessionScope stateless(String principal, SparkUser user) {
        return new SessionScope(principal, user, Optional.empty());
    }
}
