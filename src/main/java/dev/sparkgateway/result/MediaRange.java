package dev.sparkgateway.result;

import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One media range of an Accept header (RFC 9110 §12.5.1), parsed and matched by JAX-RS's
 * {@link MediaType}. Parameters other than q are kept for the format that matched (Arrow's
 * {@code codec}); they do not take part in matching. The ordering stays here because JAX-RS's own negotiation
 * ({@code HttpHeaders.getAcceptableMediaTypes}, {@code Request.selectVariant}) rejects a whole header
 * for one bad range and does not let the most specific matching range alone set a type's quality.
 *
 * @param parameters the range's parameters other than q, names in lower case
 * @param position   index in the header, to prefer what the client listed first
 */
record MediaRange(MediaType range, double q, Map<String, String> parameters, int position) {

    /** Valid ranges of the header in order; invalid ones are skipped, so blank or garbage yields none. */
    static List<MediaRange> parseAccept(String header) {
        List<MediaRange> ranges = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return ranges;
        }
        for (String part : header.split(",")) {
            MediaRange r = parse(part.trim(), ranges.size());
            if (r != null) {
                ranges.add(r);
            }
        }
        return ranges;
    }

    private static MediaRange parse(String part, int position) {
        MediaType parsed;
        try {
            parsed = MediaType.valueOf(part);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // JAX-RS keeps the blanks around '/' and before ';'; "*/json" is no range.
        MediaType range = new MediaType(parsed.getType().trim(), parsed.getSubtype().trim());
        if (range.getType().isEmpty() || range.getSubtype().isEmpty() || range.isWildcardType() && !range.isWildcardSubtype()) {
            return null;
        }
        double q = 1.0;
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String> param : parsed.getParameters().entrySet()) {
            String name = param.getKey().trim().toLowerCase(Locale.ROOT);
            if (name.equals("q")) {
                try {
                    q = Double.parseDouble(param.getValue().trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            } else {
                parameters.put(name, param.getValue().trim());
            }
        }
        return q >= 0 && q <= 1 ? new MediaRange(range, q, Map.copyOf(parameters), position) : null;
    }

    /** 2 for {@code type/subtype}, 1 for {@code type/*}, 0 for {@code *}{@code /*}. */
    int specificity() {
        return range.isWildcardType() ? 0 : range.isWildcardSubtype() ? 1 : 2;
    }

    /** The most specific range matching {@code mediaType} (it alone decides its q), or null. */
    static MediaRange bestMatch(List<MediaRange> ranges, MediaType mediaType) {
        MediaRange best = null;
        for (MediaRange r : ranges) {
            if (r.range.isCompatible(mediaType) && (best == null || r.specificity() > best.specificity())) {
                best = r;
            }
        }
        return best;
    }

    /** Higher q, then more specific, then listed earlier. */
    boolean beats(MediaRange other) {
        if (q != other.q) {
            return q > other.q;
        }
        if (specificity() != other.specificity()) {
            return specificity() > other.specificity();
        }
        return position < other.position;
    }
}
