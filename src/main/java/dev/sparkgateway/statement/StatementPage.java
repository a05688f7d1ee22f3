package dev.sparkgateway.statement;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One page of a statement listing, newest first, and where the next page starts. */
public record StatementPage(List<StatementView> statements, Optional<Cursor> next) {

    static final Comparator<Statement> NEWEST_FIRST = Comparator.comparingLong(Statement::createdNanos).reversed()
            .thenComparing(Statement::id);

    public StatementPage {
        statements = List.copyOf(statements);
    }

    /** The last statement of a page (creation time, id), opaque to clients as a page token. */
    public record Cursor(long createdNanos, UUID id) {

        static Cursor of(Statement s) {
            return new Cursor(s.createdNanos(), s.id());
        }

        /** Whether a statement created at {@code nanos} with {@code other} id comes after this cursor in newest-first order. */
        boolean isBefore(long nanos, UUID other) {
            return nanos < createdNanos || (nanos == createdNanos && other.compareTo(id) > 0);
        }

        public String token() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdNanos + ":" + id).getBytes(StandardCharsets.US_ASCII));
        }

        /** Parses a token; empty if it is not one this gateway made. */
        public static Optional<Cursor> parse(String token) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
                int colon = text.indexOf(':');
                return Optional.of(new Cursor(Long.parseLong(text.substring(0, colon)), UUID.fromString(text.substring(colon + 1))));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return Optional.empty();
            }
        }
    }
}
