package dev.sparkgateway.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the jars of a local Spark Connect server from a classpath file. {@code bin/spark-classpath}
 * writes the default one (Spark 4.0.0 from {@code spark-server/pom.xml} plus the gateway's SQL
 * policy jar); the gateway itself never runs Maven. The jars never touch the gateway's own classpath.
 */
public final class SparkServerClasspath {

    /** What {@code mvn -f spark-policy/pom.xml package} builds. */
    static final String POLICY_JAR = "spark-gateway-policy-1.jar";
    /** Where {@code bin/spark-classpath} writes it, relative to the project folder. */
    public static final Path DEFAULT_FILE = Path.of("spark-server", "target", "classpath.txt");

    private SparkServerClasspath() {
    }

    /** The classpath in {@code file}; the message says how to make one when it is missing or stale. */
    public static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No Spark Connect server classpath at " + file.toAbsolutePath() + ": run bin/spark-classpath"
                    + " in the project folder (it resolves the local server's jars with Maven), set"
                    + " gateway.spark.embedded.classpath-file, or point gateway.spark.url at a running server (sc://host:15002).");
        }
        String classpath = Files.readString(file).trim();
        if (classpath.isEmpty()) {
            throw new IOException("The Spark Connect server classpath file " + file + " is empty: run bin/spark-classpath.");
        }
        Optional<String> missing = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !Files.exists(Path.of(entry))).findFirst();
        if (missing.isPresent()) {
            throw new IOException("The Spark Connect server classpath file " + file + " lists " + missing.get()
                    + ", which does not exist: run bin/spark-classpath again.");
        }
        return classpath;
    }
}
