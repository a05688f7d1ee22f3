package dev.sparkgateway.docs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration tables in the docs list exactly the keys of the gateway's {@code @ConfigMapping}
 * interfaces, with their defaults, so the reference cannot drift from the code.
 */
class ConfigReferenceTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(gateway\\.[^`]+)` \\|([^|]*)\\|", Pattern.MULTILINE);

    @Test
    void readmeListsEveryKeyWithItsDefault() throws Exception {
        assertMatches(Path.of("README.md"));
    }

    @Test
    void deployGuideListsEveryKeyWithItsDefault() throws Exception {
        Path deploy = Path.of("docs", "deploy.md");
        if (Files.exists(deploy) && Files.readString(deploy).contains("| `gateway.")) {
            assertMatches(deploy);
        }
    }

    private static void assertMatches(Path doc) throws Exception {
        Map<String, String> documented = new TreeMap<>();
        Matcher m = ROW.matcher(Files.readString(doc));
        while (m.find()) {
            documented.put(m.group(1), m.group(2).trim());
        }
        Map<String, String> declared = declaredKeys();
        assertEquals(declared.keySet(), documented.keySet(), doc + " configuration table vs @ConfigMapping interfaces");
        declared.forEach((key, def) -> {
            if (!def.isEmpty() && !key.endsWith("\"spark.x\"")) {
                assertTrue(documented.get(key).contains("`" + def + "`"), doc + ": default of " + key + " should be `" + def + "`");
            }
        });
    }

    /** key → default ("" when none) for every @ConfigMapping interface under target/classes. */
    static Map<String, String> declaredKeys() throws IOException, ClassNotFoundException {
        Map<String, String> keys = new TreeMap<>();
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes.resolve("dev"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, ConfigReferenceTest.class.getClassLoader());
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping == null || !type.isInterface()) {
                    continue;
                }
                addKeys(type, mapping.prefix(), keys);
            }
        }
        return keys;
    }

    /** The keys of {@code type}'s methods under {@code prefix}, descending into nested groups (interfaces). */
    private static void addKeys(Class<?> type, String prefix, Map<String, String> keys) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getName().startsWith("dev.sparkgateway.")) {
                addKeys(returned, key, keys);
                continue;
            }
            if (Map.class.isAssignableFrom(returned)) {
                Class<?> value = mapValue(method);
                if (value != null && value.isInterface() && value.getName().startsWith("dev.sparkgateway.")) {
                    // A map of groups, e.g. gateway.quotas.roles."<name>".max-rows.
                    addKeys(value, key + ".\"<name>\"", keys);
                    continue;
                }
                key += ".\"spark.x\"";
            }
            WithDefault def = method.getAnnotation(WithDefault.class);
            keys.put(key, def == null ? "" : def.value());
        }
    }

    private static Class<?> mapValue(Method method) {
        if (method.getGenericReturnType() instanceof java.lang.reflect.ParameterizedType map
                && map.getActualTypeArguments()[1] instanceof Class<?> value) {
            return value;
        }
        return null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
