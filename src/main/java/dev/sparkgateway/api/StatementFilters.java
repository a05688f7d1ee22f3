package dev.sparkgateway.api;

import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.statement.StatementState;
import dev.sparkgateway.statement.StatementStore;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The query parameters of {@code GET /v1/statements} read as a store filter; a bad one is a 400 naming it. */
final class StatementFilters {

    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-fA-F]{1,16}");

    private StatementFilters() {
    }

    static StatementStore.Filter of(String state, String createdAfter, String createdBefore, String fingerprint) {
        return new StatementStore.Filter(stateFilter(state), instant("createdAfter", createdAfter),
                instant("createdBefore", createdBefore), fingerprintFilter(fingerprint));
    }

    static Optional<StatementState> stateFilter(String state) {
        if (state == null || state.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StatementState.valueOf(state.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("unknown state '" + state + "'; one of "
                    + Arrays.toString(StatementState.values()));
        }
    }

    static Optional<Instant> instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant such as 2026-12-01T09:30:00Z, got '"
                    + value + "'");
        }
    }

    static Optional<String> fingerprintFilter(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (!FINGERPRINT.matcher(value).matches()) {
            throw new InvalidRequestException("fingerprint must be 1 to 16 hex digits (a statement's fingerprint or its"
                    + " start), got '" + value + "'");
        }
        return Optional.of(value.toLowerCase(Locale.ROOT));
    }
}
