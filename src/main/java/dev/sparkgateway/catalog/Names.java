package dev.sparkgateway.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spark identifiers as the Catalog API takes them. Some of its calls parse a name as SQL
 * ({@code catalog.db.table}), so each part is quoted in backticks (a backtick inside doubled):
 * then dots, backticks, spaces and non-ASCII letters in a name stay part of it.
 */
final class Names {

    private Names() {
    }

    /** One name part, quoted: {@code tab`le} becomes {@code `tab``le`}. */
    static String quote(String part) {
        return "`" + part.replace("`", "``") + "`";
    }

    /** A multi-part name, each part quoted: {@code `spark_catalog`.`we.ird`}. */
    static String qualified(String... parts) {
        List<String> quoted = new ArrayList<>(parts.length);
        for (String part : parts) {
            quoted.add(quote(part));
        }
        return String.join(".", quoted);
    }

    /**
     * The parts of a name as Spark writes one ({@code a}, {@code `we.ird`}, {@code a.`b``c`}), or
     * empty if it is not such a name. Spark's Database rows quote a name only where it needs it.
     */
    static Optional<List<String>> parse(String name) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (quoted) {
                if (c != '`') {
                    part.append(c);
                } else if (i + 1 < name.length() && name.charAt(i + 1) == '`') {
                    part.append('`');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '`' && part.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                if (part.isEmpty() && !wasQuoted) {
                    return Optional.empty();
                }
                parts.add(part.toString());
                part.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted || c == '`') {
                return Optional.empty();
            } else {
                part.append(c);
            }
        }
        if (quoted || part.isEmpty() && !wasQuoted) {
            return Optional.empty();
        }
        parts.add(part.toString());
        return Optional.of(List.copyOf(parts));
    }
}
