package dev.sparkgateway.observe;

/**
 * Makes caller-supplied text safe for a log line: request ids, paths, SQL identifiers and Spark's
 * messages reach the log, and a newline in them would forge a line of its own in plain-text logs.
 */
public final class LogText {

    /** Longest text kept in one logged value; Spark messages can carry a whole statement. */
    static final int MAX_CHARS = 2000;

    private LogText() {
    }

    /** Control characters as {@code \n}, {@code \r}, {@code \t} or {@code \\uXXXX}; backslashes doubled; long text cut. */
    public static String escape(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        int limit = Math.min(text.length(), MAX_CHARS);
        StringBuilder out = null;
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\\' -> "\\\\";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(limit + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        String escaped = out != null ? out.toString() : text.substring(0, limit);
        return text.length() > limit ? escaped + "...(" + (text.length() - limit) + " more chars)" : escaped;
    }
}
