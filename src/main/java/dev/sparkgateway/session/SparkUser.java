package dev.sparkgateway.session;

import java.util.Objects;

/**
 * Whom a Spark session belongs to: the Spark Connect {@code user_id}, and whether the gateway's SQL
 * policy restricts it. Sessions are pooled per value, so a session never moves to another user,
 * nor between restricted and unrestricted use.
 */
public record SparkUser(String name, boolean restricted) {

    public SparkUser {
        Objects.requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a Spark user name must not be blank");
        }
    }
}
