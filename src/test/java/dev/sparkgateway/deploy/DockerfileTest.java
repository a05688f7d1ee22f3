package dev.sparkgateway.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dockerfile.jvm packages exactly the Quarkus fast-jar and runs it as configured. */
class DockerfileTest {

    static final Path DOCKERFILE = Rendered.ROOT.resolve("Dockerfile.jvm");
    static final String APP_DIR = "target/quarkus-app/";

    /** What `mvn package` puts in target/quarkus-app and the JVM needs at run time. */
    static final Set<String> FAST_JAR_PARTS = Set.of("lib/", "app/", "quarkus/", "quarkus-run.jar");

    /** Also produced by `mvn package`, not needed to run: the dependency list (for audits). */
    static final Set<String> NOT_COPIED = Set.of("quarkus-app-dependencies.txt");

    static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    /** The SQL policy extension, shipped for the Spark pods' initContainer (SparkConnectManifestsTest). */
    static final String POLICY_JAR = "spark-policy/target/spark-gateway-policy-1.jar";
    static final String POLICY_JAR_IN_IMAGE = "/deployments/spark/spark-gateway-policy.jar";

    record Instruction(String keyword, String arguments) {
    }

    /** Instructions with line continuations joined and comments dropped. */
    static List<Instruction> instructions() throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
        }
        return instructions;
    }

    static List<Instruction> all(String keyword) throws IOException {
        return instructions().stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** COPY sources (flags such as --chown dropped; the last word is the destination). */
    static List<String> copySources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            List<String> words = Stream.of(copy.arguments().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
            assertTrue(words.size() >= 2, "COPY needs a source and a destination: " + copy.arguments());
            assertFalse(copy.arguments().contains("--from"), "single-stage build: " + copy.arguments());
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }

    @Test
    void copiesExactlyTheFastJarPartsAndThePolicyJar() throws IOException {
        List<String> sources = new ArrayList<>(copySources());
        assertTrue(sources.remove(POLICY_JAR), "the policy jar is copied: " + sources);
        assertTrue(all("COPY").stream().anyMatch(c -> c.arguments().equals(POLICY_JAR + " " + POLICY_JAR_IN_IMAGE)),
                "the policy jar lands where the Spark pods' initContainer copies it from");
        for (String source : sources) {
            assertTrue(source.startsWith(APP_DIR), source + " is outside " + APP_DIR);
        }
        Set<String> parts = sources.stream().map(s -> s.substring(APP_DIR.length())).collect(Collectors.toSet());
        assertEquals(sources.size(), parts.size(), "a part is copied twice: " + sources);
        assertEquals(FAST_JAR_PARTS, parts);
    }

    @Test
    void runsTheFastJarAsANonRootUserOnPort8080WithArrowsAddOpens() throws IOException {
        List<Instruction> from = all("FROM");
        assertEquals(1, from.size());
        assertTrue(from.get(0).arguments().contains("17"), "a Java 17 base image: " + from.get(0).arguments());

        List<Instruction> users = all("USER");
        assertFalse(users.isEmpty(), "USER is set");
        String user = users.get(users.size() - 1).arguments().strip();
        assertTrue(user.matches("\\d+(:\\d+)?"), "numeric USER (runAsNonRoot can only verify numbers): " + user);
        long uid = Long.parseLong(user.split(":")[0]);
        assertNotEquals(0, uid, "not root");
        // The gateway pods run as that user.
        Deployment gateway = Rendered.of("overlays/production").get(Deployment.class, "spark-connect-gateway");
        assertEquals(uid, gateway.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser());

        Set<String> exposed = all("EXPOSE").stream().flatMap(i -> Stream.of(i.arguments().split("\\s+")))
                .collect(Collectors.toSet());
        assertEquals(Set.of("8080"), exposed);
        Properties app = new Properties();
        app.load(new StringReader(Files.readString(Rendered.ROOT.resolve("src/main/resources/application.properties"))));
        assertEquals("8080", app.getProperty("quarkus.http.port"), "EXPOSE matches the port Quarkus listens on");

        String env = all("ENV").stream().map(Instruction::arguments).collect(Collectors.joining(" "));
        assertTrue(env.contains("JAVA_OPTS=") && env.contains(ADD_OPENS), "JAVA_OPTS carries " + ADD_OPENS);
        assertTrue(env.contains("-XX:MaxRAMPercentage="), "heap sized from the container limit");
        assertEquals(ADD_OPENS, SparkConnectManifestsTest.pomProperty("gateway.jvm.opens"),
                "the image opens what the build and tests open");

        List<Instruction> entrypoint = all("ENTRYPOINT");
        assertEquals(1, entrypoint.size());
        String command = entrypoint.get(0).arguments();
        assertTrue(command.contains("$JAVA_OPTS") && command.contains("-jar /deployments/quarkus-run.jar"), command);
        assertTrue(command.contains("exec java"), "java replaces the shell and receives SIGTERM: " + command);
        assertTrue(all("COPY").stream().anyMatch(c -> c.arguments().endsWith(" /deployments/quarkus-run.jar")),
                "the jar is run from where it was copied");
    }

    @Test
    void theBuildContextIsOnlyTheFastJar() throws IOException {
        List<String> lines = Files.readAllLines(Rendered.ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", lines.get(0), "everything is excluded first");
        assertTrue(lines.stream().anyMatch(l -> l.equals("!" + APP_DIR) || l.equals("!" + APP_DIR.replaceAll("/$", ""))),
                "then target/quarkus-app is let back in: " + lines);
        assertTrue(lines.contains("!" + POLICY_JAR), "and the policy jar: " + lines);
    }
}
