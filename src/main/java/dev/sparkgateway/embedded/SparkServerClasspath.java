package dev.sparkgateway.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the jars of a Spark Connect server: a classpath file if one is given, otherwise Maven
 * resolves {@code spark-server/pom.xml} (spark-sql + spark-connect 4.0.0) once and caches the
 * result next to that pom. The jars never touch the gateway's own classpath.
 */
public final class SparkServerClasspath {

    private SparkServerClasspath() {
    }

    public static String resolve(Optional<Path> classpathFile, Path serverPom, java.time.Duration timeout) throws IOException {
        if (classpathFile.isPresent()) {
            return read(classpathFile.get());
        }
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
        List<String> command = new ArrayList<>();
        command.add(mavenExecutable());
        command.addAll(List.of("-B", "-q", "-f", serverPom.toAbsolutePath().toString(), "dependency:build-classpath",
                "-Dmdep.outputFile=" + cached));
        Path log = Files.createTempFile("spark-server-resolve", ".log");
        Process maven = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try {
            if (!maven.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                maven.destroyForcibly();
                throw new IOException("Resolving the Spark Connect server jars took longer than " + timeout + "; see " + log);
            }
        } catch (InterruptedException e) {
            maven.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while resolving the Spark Connect server jars", e);
        }
        if (maven.exitValue() != 0) {
            throw new IOException("Maven could not resolve the Spark Connect server jars (exit " + maven.exitValue()
                    + "). Output:\n" + Files.readString(log));
        }
        Files.deleteIfExists(log);
        return read(cached);
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
