package dev.sparkgateway.auth;

import dev.sparkgateway.session.SparkUser;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: the authenticated name, the Spark user its work runs as, and its roles. Never
 * holds a credential, so it may be logged.
 *
 * @param name      the principal (API key owner, token subject, or the anonymous principal)
 * @param sparkUser the Spark Connect {@code user_id} its sessions run under
 * @param roles     e.g. {@code admin}, {@code analyst}; {@link #ADMIN} runs unrestricted and sees everyone's statements
 */
public record Principal(String name, String sparkUser, Set<String> roles) {

    public static final String ADMIN = "admin";

    public Principal {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(sparkUser, "sparkUser is null");
        roles = Set.copyOf(roles);
    }

    public boolean admin() {
        return roles.contains(ADMIN);
    }

    /** Spark sessions of a non-admin principal are restricted by the gateway's SQL policy. */
    public boolean restricted() {
        return !admin();
    }

    /** The Spark user its sessions are pooled and run under. */
    public SparkUser spark() {
        return new SparkUser(sparkUser, restricted());
    }

    /** Whether this principal may see and act on work owned by {@code owner}. */
    public boolean mayAccess(String owner) {
        return admin() || name.equals(owner);
    }
}
