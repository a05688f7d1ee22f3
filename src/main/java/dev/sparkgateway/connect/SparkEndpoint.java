package dev.sparkgateway.connect;

import java.util.Objects;

/**
 * One Spark Connect server of the gateway, by name: the name tags its metrics and readiness, and
 * every session knows the endpoint it lives on.
 */
public record SparkEndpoint(String name, ConnectEndpoint address) {

    public SparkEndpoint {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(address, "address is null");
        // Used as a metric tag and a config key: keep it plain.
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("Spark endpoint name must be letters, digits, '-' or '_' (got '" + name + "')");
        }
    }
}
