package dev.sparkgateway.connect;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark Connect server address in the official clients' connection-string form:
 * {@code sc://host[:port][/;param=value;...]} with params {@code token}, {@code use_ssl},
 * {@code user_id}. Port defaults to 15002 like the official clients.
 */
public record ConnectEndpoint(String host, int port, boolean useSsl, Optional<String> token, Optional<String> userId) {

    public static final int DEFAULT_PORT = 15002;

    public ConnectEndpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Spark Connect URL has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Spark Connect port out of range: " + port);
        }
    }

    public static ConnectEndpoint local(int port) {
        return new ConnectEndpoint("127.0.0.1", port, false, Optional.empty(), Optional.empty());
    }

    /** Parses {@code sc://host:port/;token=...}; throws IllegalArgumentException naming what is wrong. */
    public static ConnectEndpoint parse(String url) {
        if (url == null || !url.startsWith("sc://")) {
            throw new IllegalArgumentException("Spark Connect URL must start with sc:// (got '" + url + "')");
        }
        String rest = url.substring("sc://".length());
        String authority = rest;
        String params = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            authority = rest.substring(0, slash);
            params = rest.substring(slash + 1);
            if (params.startsWith(";")) {
                params = params.substring(1);
            } else if (!params.isEmpty()) {
                throw new IllegalArgumentException("Spark Connect URL path must be empty or start with ';' (got '" + url + "')");
            }
        }
        // Parsed by hand: java.net.URI rejects host names with '_', common for Compose services.
        String host = authority;
        int port = DEFAULT_PORT;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']') < colon) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Spark Connect URL has an invalid port: '" + url + "'");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || !host.matches("[A-Za-z0-9._:%-]+")) {
            throw new IllegalArgumentException("Spark Connect URL has no valid host: '" + url + "'");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : params.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Spark Connect URL parameter is not key=value: '" + pair + "'");
            }
            values.put(pair.substring(0, eq).trim().toLowerCase(Locale.ROOT), pair.substring(eq + 1).trim());
        }
        return new ConnectEndpoint(host, port, Boolean.parseBoolean(values.getOrDefault("use_ssl", "false")),
                Optional.ofNullable(values.get("token")), Optional.ofNullable(values.get("user_id")));
    }

    /** The address without secrets, for logs and health output. */
    public String display() {
        return "sc://" + host + ":" + port + (useSsl ? "/;use_ssl=true" : "");
    }
}
