package dev.sparkgateway.statement;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One page of a statement listing, newest first, and where the next page starts. */
public record StatementPage(List<StatementView> statements, Optional<Cursor> next) {

    /** Newest first; the id orders statements submitted in the same microsecond. */
    static final Comparator<StatementView> NEWEST_FIRST = Comparator.comparing(StatementView::createdAt).reversed()
            .thenComparing(StatementView::id);

    public StatementPage {
        statements = List.copyOf(statements);
    }

    /** The last statement of a page (creation time in microseconds since the epoch, id), opaque to clients as a page token. */
    public record Cursor(long createdMicros, UUID id) {

        static Cursor of(StatementView s) {
            return new Cursor(micros(s.createdAt()), s.id());
        }

        static long micros(Instant t) {
            return ChronoUnit.MICROS.between(Instant.EPOCH, t);
        }

        Instant createdAt() {
            return Instant.EPOCH.plus(createdMicros, ChronoUnit.MICROS);
        }

        /** Whether {@code s} comes after this cursor in newest-first order. */
        boolean isBefore(StatementView s) {
            long micros = micros(s.createdAt());
            return micros < createdMicros || (micros == createdMicros && s.id().compareTo(id) > 0);
        }

        public String token() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdMicros + ":" + id).getBytes(StandardCharsets.US_ASCII));
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
