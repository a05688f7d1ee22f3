package dev.sparkgateway.connect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The gateway's Spark Connect servers, and whether each answered when last asked. Readiness probes
 * (health/) and failed calls (session/) set the state; the pool places new sessions by it. Every
 * endpoint counts as up until something shows otherwise, so a fresh gateway uses them all.
 */
public final class SparkEndpoints {

    /** The name of the endpoint {@code gateway.spark.url} (or the embedded server) stands for. */
    public static final String DEFAULT_NAME = "default";
    private static final Logger LOG = Logger.getLogger(SparkEndpoints.class);

    private final List<SparkEndpoint> all;
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();

    public SparkEndpoints(List<SparkEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no Spark Connect endpoint configured");
        }
        this.all = List.copyOf(endpoints);
        for (SparkEndpoint e : all) {
            if (up.put(e.name(), true) != null) {
                throw new IllegalArgumentException("Spark endpoint '" + e.name() + "' is configured twice");
            }
        }
    }

    public static SparkEndpoints single(ConnectEndpoint address) {
        return new SparkEndpoints(List.of(new SparkEndpoint(DEFAULT_NAME, address)));
    }

    /**
     * The endpoints {@code gateway.spark.url} and {@code gateway.spark.endpoints} name (the URL as
     * {@value #DEFAULT_NAME}, the others sorted by name), or empty when neither is set: then the
     * embedded server is the one endpoint. Throws IllegalArgumentException naming the bad setting.
     */
    public static Optional<SparkEndpoints> fromConfig(SparkConnectConfig config) {
        List<SparkEndpoint> endpoints = new ArrayList<>();
        config.url().filter(url -> !url.isBlank()).ifPresent(url -> {
            ConnectEndpoint parsed = ConnectEndpoint.parse(url);
            endpoints.add(new SparkEndpoint(DEFAULT_NAME, withToken(parsed, config.token().or(parsed::token))));
        });
        config.endpoints().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String name = entry.getKey();
            if (name.equals(DEFAULT_NAME) && !endpoints.isEmpty()) {
                throw new IllegalArgumentException("gateway.spark.url already is the endpoint '" + DEFAULT_NAME
                        + "'; name gateway.spark.endpoints." + DEFAULT_NAME + " differently or drop one of them");
            }
            ConnectEndpoint parsed;
            try {
                parsed = ConnectEndpoint.parse(entry.getValue().url());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gateway.spark.endpoints." + name + ".url: " + e.getMessage(), e);
            }
            Optional<String> token = entry.getValue().token().or(parsed::token).or(config::token);
            endpoints.add(new SparkEndpoint(name, withToken(parsed, token)));
        });
        endpoints.sort(Comparator.comparing((SparkEndpoint e) -> !e.name().equals(DEFAULT_NAME)).thenComparing(SparkEndpoint::name));
        return endpoints.isEmpty() ? Optional.empty() : Optional.of(new SparkEndpoints(endpoints));
    }

    private static ConnectEndpoint withToken(ConnectEndpoint e, Optional<String> token) {
        return new ConnectEndpoint(e.host(), e.port(), e.useSsl(), token, e.userId());
    }

    /** All endpoints, in a fixed order (the one placement breaks ties by). */
    public List<SparkEndpoint> all() {
        return all;
    }

    public List<String> names() {
        return all.stream().map(SparkEndpoint::name).toList();
    }

    /** Whether {@code name} answered when last asked (true until then). */
    public boolean isUp(String name) {
        return up.getOrDefault(name, false);
    }

    public void markUp(String name) {
        if (Boolean.FALSE.equals(up.replace(name, true))) {
            LOG.infof("Spark endpoint '%s' answers again%s", name, all.size() > 1 ? ": it takes new Spark users" : "");
        }
    }

    /** {@code name} failed a probe or a call: no new sessions go there until a probe succeeds. */
    public void markDown(String name, String reason) {
        if (Boolean.TRUE.equals(up.replace(name, false))) {
            LOG.warnf("Spark endpoint '%s' is down (%s)%s", name, reason,
                    all.size() > 1 ? ": its Spark users move to an endpoint that is up" : "");
        }
    }

    /** The addresses without secrets, for logs and health output. */
    public String display() {
        return all.size() == 1 ? all.get(0).address().display()
                : String.join(", ", all.stream().map(e -> e.name() + "=" + e.address().display()).toList());
    }
}
