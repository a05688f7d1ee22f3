package dev.sparkgateway.session;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Which Spark Connect endpoint a Spark user's sessions live on. A user sticks to one endpoint (their
 * sessions, temp state and cached plans are there); a new user goes to the least loaded endpoint
 * that is up; a user whose endpoint is down moves to the least loaded one that is up. When none is
 * up nobody moves (and a new user takes the least loaded of all): the call then fails with Spark's
 * own error, as with a single server. Ties go to the first endpoint in configuration order. Pure:
 * health and load are asked for, so the policy tests without servers.
 */
final class EndpointPlacement {

    private final List<String> endpoints;

    EndpointPlacement(List<String> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints to place sessions on");
        }
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * The endpoint for a user now on {@code current} (null: a new user), given which endpoints are
     * {@code up} and the {@code load} of each (sessions open and requests waiting there).
     */
    String place(String current, Predicate<String> up, ToIntFunction<String> load) {
        Objects.requireNonNull(up, "up is null");
        if (current != null && endpoints.contains(current) && up.test(current)) {
            return current;
        }
        String best = leastLoaded(up, load);
        if (best != null) {
            return best;
        }
        return current != null && endpoints.contains(current) ? current : leastLoaded(e -> true, load);
    }

    private String leastLoaded(Predicate<String> eligible, ToIntFunction<String> load) {
        String best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (String e : endpoints) {
            if (eligible.test(e)) {
                int l = load.applyAsInt(e);
                if (l < bestLoad) {
                    best = e;
                    bestLoad = l;
                }
            }
        }
        return best;
    }
}
