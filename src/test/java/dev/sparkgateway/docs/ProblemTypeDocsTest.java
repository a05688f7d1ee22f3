package dev.sparkgateway.docs;

import dev.sparkgateway.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/errors.md's table is the text {@code GET /problems/{name}} serves (held in {@link ProblemType}):
 * one row per type, in order, with the same status, "when" and "what to do".
 */
class ProblemTypeDocsTest {

    @Test
    void errorsTableMatchesProblemTypeExactly() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("docs", "errors.md")).stream()
                .filter(l -> l.startsWith("| `/problems/")).toList();
        List<String> expected = Arrays.stream(ProblemType.values()).map(ProblemTypeDocsTest::row).toList();
        assertEquals(expected.size(), rows.size(), "rows in docs/errors.md's table");
        for (int i = 0; i < rows.size(); i++) {
            // The status column may add a header the type comes with ("429 + `Retry-After`").
            String actual = rows.get(i).replaceFirst("^(\\| `[^`]+` \\| \\d{3})[^|]*\\|", "$1 |");
            assertEquals(expected.get(i), actual);
        }
    }

    private static String row(ProblemType type) {
        return "| `" + type.uri() + "` | " + type.status() + " | " + type.when() + " | " + type.whatToDo() + " |";
    }
}
