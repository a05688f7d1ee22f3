package dev.sparkgateway.auth;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The principal of the request being served, as {@link AuthFilter} found it. */
@ApplicationScoped
public class CurrentPrincipal {

    private final CurrentVertxRequest request;

    public CurrentPrincipal(CurrentVertxRequest request) {
        this.request = request;
    }

    /** Only for requests that passed {@link AuthFilter}; an open path has no principal. */
    public Principal get() {
        return find().orElseThrow(() -> new IllegalStateException("no authenticated principal on this request"));
    }

    /** The principal, if the current request has one. */
    public Optional<Principal> find() {
        return on(request.getCurrent());
    }

    /** The principal {@link AuthFilter} put on {@code context}, for router handlers that run after it. */
    public static Optional<Principal> on(RoutingContext context) {
        return Optional.ofNullable(context == null ? null : context.get(AuthFilter.PRINCIPAL));
    }
}
