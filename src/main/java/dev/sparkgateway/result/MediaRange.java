package dev.sparkgateway.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One media range of an Accept header (RFC 9110 §12.5.1). Parameters other than q are ignored:
 * none of our formats has variants a parameter could select.
 *
 * @param specificity 2 for {@code type/subtype}, 1 for {@code type/*}, 0 for {@code *}{@code /*}
 * @param position    index in the header, to prefer what the client listed first
 */
record MediaRange(String type, String subtype, double q, int specificity, int position) {

    /** Valid ranges of the header in order; invalid ones are skipped, so blank or garbage yields none. */
    static List<MediaRange> parseAccept(String header) {
        List<MediaRange> ranges = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return ranges;
        }
        for (String part : header.split(",")) {
            MediaRange r = parse(part, ranges.size());
            if (r != null) {
                ranges.add(r);
            }
        }
        return ranges;
    }

    private static MediaRange parse(String part, int position) {
        String[] pieces = part.split(";");
        if (pieces.length == 0) {
            return null; // only semicolons: String.split drops the empty pieces
        }
        String range = pieces[0].trim().toLowerCase(Locale.ROOT);
        if (range.equals("*")) {
            range = "*/*"; // seen from some clients; harmless to accept
        }
        int slash = range.indexOf('/');
        if (slash <= 0 || slash == range.length() - 1) {
            return null;
        }
        String type = range.substring(0, slash).trim();
        String subtype = range.substring(slash + 1).trim();
        if (type.equals("*") && !subtype.equals("*")) {
            return null;
        }
        double q = 1.0;
        for (int i = 1; i < pieces.length; i++) {
            String param = pieces[i].trim();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("q")) {
                try {
                    q = Double.parseDouble(param.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    return null;
                }
                if (!(q >= 0 && q <= 1)) {
                    return null;
                }
                break; // anything after q is an accept-extension
            }
        }
        int specificity = type.equals("*") ? 0 : subtype.equals("*") ? 1 : 2;
        return new MediaRange(type, subtype, q, specificity, position);
    }

    boolean matches(String mediaType) {
        if (specificity == 0) {
            return true;
        }
        int slash = mediaType.indexOf('/');
        if (!mediaType.regionMatches(true, 0, type, 0, slash) || type.length() != slash) {
            return false;
        }
        return specificity == 1 || mediaType.substring(slash + 1).equalsIgnoreCase(subtype);
    }

    /** The most specific range matching {@code mediaType} (it alone decides its q), or null. */
    static MediaRange bestMatch(List<MediaRange> ranges, String mediaType) {
        MediaRange best = null;
        for (MediaRange r : ranges) {
            if (r.matches(mediaType) && (best == null || r.specificity > best.specificity)) {
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
        if (specificity != other.specificity) {
            return specificity > other.specificity;
        }
        return position < other.position;
    }
}
