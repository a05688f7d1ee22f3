package dev.sparkgateway.api;

import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.session.SessionScope;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.Optional;

/**
 * The named session a request joins: the {@code X-Session-Id} header, or {@code "sessionId"} in a
 * JSON body where the body has one (/v1/sql, /v1/statements). Neither: a stateless request.
 */
final class SessionHeader {

    static final String NAME = "X-Session-Id";

    private SessionHeader() {
    }

    /** Where {@code principal}'s request runs; both ways given must name the same session. */
    static SessionScope scope(Principal principal, HttpHeaders headers, String fromBody) {
        Optional<String> header = Optional.ofNullable(headers.getHeaderString(NAME)).map(String::trim);
        if (header.filter(String::isEmpty).isPresent()) {
            throw new InvalidRequestException(NAME + " is empty: send a session id (POST /v1/sessions) or leave the header out");
        }
        Optional<String> body = Optional.ofNullable(fromBody);
        if (body.filter(String::isBlank).isPresent()) {
            throw new InvalidRequestException("sessionId is empty", "/sessionId");
        }
        if (header.isPresent() && body.isPresent() && !header.get().equals(body.get())) {
            throw new InvalidRequestException(NAME + " and the body's sessionId name different sessions", "/sessionId");
        }
        return new SessionScope(principal.name(), principal.spark(), header.or(() -> body));
    }

    /** For bodies without a sessionId field. */
    static SessionScope scope(Principal principal, HttpHeaders headers) {
        return scope(principal, headers, null);
    }
}
