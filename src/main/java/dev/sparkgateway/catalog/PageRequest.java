package dev.sparkgateway.catalog;

import dev.sparkgateway.error.InvalidRequestException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A page of a listing. Spark's Catalog answers a whole listing at once, so pages are cut here,
 * by key rather than offset: a listing is ordered by its entries' keys, and a page token is the
 * last key of the page before. Tables created or dropped between two pages therefore never make
 * another table appear twice or be skipped.
 *
 * @param after the key of the last entry of the page before, if any
 */
public record PageRequest(int limit, Optional<String> after) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    /**
     * From {@code ?limit=} and {@code ?pageToken=}, as sent (JAX-RS would answer a limit that is
     * no number with 404); a limit that is no number or a token this gateway did not issue is a 400.
     */
    public static PageRequest of(String limit, String pageToken) {
        int size;
        try {
            size = limit == null || limit.isEmpty() ? DEFAULT_LIMIT : Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("limit must be a number between 1 and " + MAX_LIMIT + ", got '" + limit + "'");
        }
        if (pageToken == null || pageToken.isEmpty()) {
            return new PageRequest(size, Optional.empty());
        }
        try {
            String key = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            if (key.length() < 2 || key.charAt(1) != ':' || key.charAt(0) != 'k') {
                throw new IllegalArgumentException("not a key");
            }
            return new PageRequest(size, Optional.of(key.substring(2)));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("pageToken is not a token this gateway issued");
        }
    }

    /** The entries of this page, ordered by {@code key}, and the token of the next page if there are more. */
    <T> Page<T> cut(List<T> all, Function<T, String> key) {
        List<T> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(key));
        List<T> page = new ArrayList<>(limit);
        boolean more = false;
        for (T entry : sorted) {
            if (after.isPresent() && key.apply(entry).compareTo(after.get()) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(entry);
        }
        Optional<String> next = more ? Optional.of(token(key.apply(page.get(page.size() - 1)))) : Optional.empty();
        return new Page<>(page, next);
    }

    static String token(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k:" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** One page: its entries and the token of the next one. */
    public record Page<T>(List<T> entries, Optional<String> nextPageToken) {
        public Page {
            entries = List.copyOf(entries);
        }
    }
}
