package dev.sparkgateway.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dockerfile.jvm copies what `mvn package` really produced. An integration test so that it runs
 * after packaging in every `mvn verify`, fresh clones included (as a unit test it could only skip there).
 */
class DockerfileIT {

    @Test
    void theFastJarPartsAreWhatMavenPackageProduced() throws IOException {
        Path app = Rendered.ROOT.resolve(DockerfileTest.APP_DIR);
        assertTrue(Files.isDirectory(app), app + " is missing: failsafe runs after `mvn package`");
        Set<String> produced = new TreeSet<>();
        try (Stream<Path> entries = Files.list(app)) {
            entries.forEach(p -> produced.add(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
        }
        produced.removeAll(DockerfileTest.NOT_COPIED);
        assertEquals(new TreeSet<>(DockerfileTest.FAST_JAR_PARTS), produced);
    }
}
