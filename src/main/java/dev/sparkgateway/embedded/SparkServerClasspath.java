package dev.sparkgateway.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the jars of a Spark Connect server: a classpath file if one is given, otherwise Maven
 * resolves {@code spark-server/pom.xml} (spark-sql + spark-connect 4.0.0) once and caches the
 * result next to that pom. Either way the gateway's SQL policy extension is added: Maven builds
 * {@code spark-policy/} (the server pom's sibling folder) into a jar, again whenever its sources
 * or pom are newer than the jar. The jars never touch the gateway's own classpath.
 */
public final class SparkServerClasspath {

    /** What {@code mvn -f spark-policy/pom.xml package} builds. */
    static final String POLICY_JAR = "spark-gateway-policy-1.jar";

    private SparkServerClasspath() {
    }

    public static String resolve(Optional<Path> classpathFile, Path serverPom, Duration timeout) throws IOException {
        String spark = classpathFile.isPresent() ? read(classpathFile.get()) : sparkJars(serverPom, timeout);
        Optional<Path> policy = policyJar(serverPom.toAbsolutePath().getParent().resolveSibling("spark-policy"), timeout);
        return policy.map(jar -> spark + File.pathSeparator + jar).orElse(spark);
    }

    private static String sparkJars(Path serverPom, Duration timeout) throws IOException {
        if (!Files.isRegularFile(serverPom)) {
            throw new IOException("No Spark Connect server to start: " + serverPom.toAbsolutePath()
                    + " does not exist. Run the gateway from the project folder, set gateway.spark.embedded.server-pom,"
                    + " or point gateway.spark.url at a running server (sc://host:15002).");
        }
        Path cached = serverPom.toAbsolutePath().getParent().resolve("target").resolve("classpath.txt");
        if (Files.isRegularFile(cached) && Files.getLastModifiedTime(cached).compareTo(Files.getLastModifiedTime(serverPom)) > 0
                && allExist(read(cached))) {
            return read(cached);
        }
        maven(List.of("-f", serverPom.toAbsolutePath().toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + cached),
                "resolve the Spark Connect server jars", timeout);
        return read(cached);
    }

    /**
     * The policy extension's jar, built when missing or older than its sources. Tests are skipped
     * here: they start a Spark session of their own (about a minute), which no gateway start
     * should wait for; {@code mvn -f spark-policy/pom.xml verify} runs them.
     */
    static Optional<Path> policyJar(Path module, Duration timeout) throws IOException {
        Path pom = module.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return Optional.empty();
        }
        Path jar = module.resolve("target").resolve(POLICY_JAR);
        if (!Files.isRegularFile(jar) || newestSource(module).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            maven(List.of("-f", pom.toString(), "package", "-DskipTests"), "build the SQL policy extension (" + module + ")", timeout);
            if (!Files.isRegularFile(jar)) {
                throw new IOException("Building " + module + " succeeded but left no " + jar);
            }
        }
        return Optional.of(jar);
    }

    private static FileTime newestSource(Path module) throws IOException {
        FileTime newest = Files.getLastModifiedTime(module.resolve("pom.xml"));
        Path src = module.resolve("src").resolve("main");
        if (Files.isDirectory(src)) {
            try (Stream<Path> files = Files.walk(src)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    FileTime time = Files.getLastModifiedTime(file);
                    if (time.compareTo(newest) > 0) {
                        newest = time;
                    }
                }
            }
        }
        return newest;
    }

    private static void maven(List<String> arguments, String what, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(mavenExecutable());
        command.addAll(List.of("-B", "-q"));
        command.addAll(arguments);
        Path log = Files.createTempFile("spark-server-maven", ".log");
        Process maven = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try {
            if (!maven.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                maven.destroyForcibly();
                throw new IOException("Maven took longer than " + timeout + " to " + what + "; see " + log);
            }
        } catch (InterruptedException e) {
            maven.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while Maven was trying to " + what, e);
        }
        if (maven.exitValue() != 0) {
            throw new IOException("Maven could not " + what + " (exit " + maven.exitValue() + "; command: "
                    + String.join(" ", command) + "). Output:\n" + Files.readString(log));
        }
        Files.deleteIfExists(log);
    }

    private static boolean allExist(String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                return false;
            }
        }
        return true;
    }

    private static String read(Path file) throws IOException {
        String classpath = Files.readString(file).trim();
        if (classpath.isEmpty()) {
            throw new IOException("Spark Connect server classpath file " + file + " is empty");
        }
        return classpath;
    }

    private static String mavenExecutable() {
        String home = System.getProperty("maven.home", System.getenv("MAVEN_HOME"));
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }
}
