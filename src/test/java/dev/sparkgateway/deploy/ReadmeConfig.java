package dev.sparkgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway's settings as listed in README.md's configuration table. */
final class ReadmeConfig {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(gateway\\.[^`]+)`\\s*\\|");

    private ReadmeConfig() {
    }

    /** Keys such as {@code gateway.pool.max-sessions}; map-valued keys ({@code ."spark.x"}) are left out. */
    static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Rendered.ROOT.resolve("README.md"))) {
                Matcher m = ROW.matcher(line);
                if (m.find() && !m.group(1).contains("\"")) {
                    keys.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** Environment variable names of those keys: upper case, every other character an underscore. */
    static Set<String> envNames() {
        Set<String> names = new TreeSet<>();
        for (String key : keys()) {
            names.add(envName(key));
        }
        return names;
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
