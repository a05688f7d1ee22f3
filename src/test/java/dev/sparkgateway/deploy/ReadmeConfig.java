package dev.sparkgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    /**
     * Whether an environment variable is a setting of the table: one of {@link #envNames()}, or
     * one of a map-valued key's ({@code gateway.spark.endpoints."<name>".url} is
     * {@code GATEWAY_SPARK_ENDPOINTS_<NAME>_URL}).
     */
    static Predicate<String> settings() {
        Set<String> names = envNames();
        List<Pattern> mapped = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Rendered.ROOT.resolve("README.md"))) {
                Matcher m = ROW.matcher(line);
                if (m.find() && m.group(1).contains("\"")) {
                    String[] parts = m.group(1).split("\"[^\"]*\"", -1);
                    mapped.add(Pattern.compile(Arrays.stream(parts).map(part -> Pattern.quote(envName(part)))
                            .collect(Collectors.joining("[A-Z0-9_]+"))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name -> names.contains(name) || mapped.stream().anyMatch(p -> p.matcher(name).matches());
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
