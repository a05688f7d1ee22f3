package dev.sparkgateway.compression;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code Accept-Encoding} header (RFC 9110 §12.5.3): codings with their q-values, {@code *} for
 * any coding not listed, {@code q=0} for "not acceptable". Elements that do not parse are skipped.
 *
 * @param qualities coding (lower case; {@code x-gzip} as {@code gzip}) to q-value, first listing wins
 */
public record AcceptEncoding(Map<String, Double> qualities) {

    private static final String ANY = "*";
    private static final String IDENTITY = "identity";

    public AcceptEncoding {
        qualities = Map.copyOf(qualities);
    }

    public static AcceptEncoding parse(String header) {
        Map<String, Double> q = new HashMap<>();
        if (header != null) {
            for (String element : header.split(",")) {
                String[] parts = element.split(";");
                String coding = parts[0].trim().toLowerCase(Locale.ROOT);
                if (coding.equals("x-gzip")) {
                    coding = "gzip";
                }
                Double quality = quality(parts);
                if (!coding.isEmpty() && quality != null) {
                    q.putIfAbsent(coding, quality);
                }
            }
        }
        return new AcceptEncoding(q);
    }

    /** The element's q (1 when absent), or null when it is malformed or outside [0, 1]. */
    private static Double quality(String[] parts) {
        double q = 1.0;
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            if (eq < 0 || !param.substring(0, eq).trim().equalsIgnoreCase("q")) {
                continue;
            }
            try {
                q = Double.parseDouble(param.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return q >= 0 && q <= 1 ? q : null;
    }

    /**
     * The coding to apply, or empty for none (identity). Among {@code offered} (the server's
     * preference order, which breaks ties) the highest q above 0 wins, a coding not named taking the
     * q of {@code *}; identity wins only when the client names it (or {@code *}) with a higher q.
     */
    public Optional<ContentCoding> choose(List<ContentCoding> offered) {
        ContentCoding best = null;
        double bestQ = 0;
        for (ContentCoding coding : offered) {
            double q = quality(coding.token());
            if (q > bestQ) {
                best = coding;
                bestQ = q;
            }
        }
        Double identity = qualities.getOrDefault(IDENTITY, qualities.get(ANY));
        if (best == null || identity != null && identity > bestQ) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    private double quality(String coding) {
        Double q = qualities.get(coding);
        if (q == null) {
            q = qualities.get(ANY);
        }
        return q == null ? 0 : q;
    }
}
