package dev.sparkgateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every curl line of docs/dataframe-spec.md and the README's DataFrame example against the
 * gateway, in order, and checks each documented answer ({@code # rows: ...} or a JSON body).
 */
@QuarkusTest
class DataFrameSpecDocTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CURL = Pattern.compile(
            "curl -s '?localhost:8080(/[^ ']*)'?(?: -H '[^']*')* -d (?:'(.*?)'|\"(.*?)\")(\\s*\\|[^\\n]*)?\\n((?:# [^\\n]*\\n)?)",
            Pattern.DOTALL);

    record Example(String path, String body, boolean piped, String expected) {
    }

    static List<Example> examples(Path file) throws Exception {
        String text = Files.readString(file);
        List<Example> examples = new ArrayList<>();
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (block.find()) {
            Matcher m = CURL.matcher(block.group(1));
            while (m.find()) {
                String comment = m.group(5).isEmpty() ? null : m.group(5).substring(2).trim();
                examples.add(new Example(m.group(1), m.group(2) != null ? m.group(2) : m.group(3), m.group(4) != null, comment));
            }
        }
        return examples;
    }

    @Test
    void everyDocumentedExampleRunsAndAnswersAsDocumented() throws Exception {
        List<Example> examples = examples(Path.of("docs", "dataframe-spec.md"));
        examples.addAll(examples(Path.of("README.md")).stream().filter(e -> e.path().startsWith("/v1/dataframe")).toList());
        assertTrue(examples.size() >= 30, "found only " + examples.size() + " examples");
        int checked = 0;
        for (Example example : examples) {
            Response response = given().contentType(example.body().startsWith("{") ? ContentType.JSON : ContentType.TEXT)
                    .body(example.body()).when().post(example.path());
            assertEquals(200, response.statusCode(), example.path() + " " + example.body() + "\n" + response.asString());
            String body = response.asString();
            if (example.piped()) {
                body = given().contentType(ContentType.JSON).body(body).when().post("/v1/plan")
                        .then().statusCode(200).extract().asString();
            }
            if (example.expected() != null && example.expected().startsWith("rows: ")) {
                assertEquals(JSON.readTree(example.expected().substring(6)), JSON.readTree(body).get("rows"), example.body());
                checked++;
            } else if (example.expected() != null && example.expected().startsWith("{")) {
                assertEquals(JSON.readTree(example.expected()), JSON.readTree(body), example.body());
                checked++;
            }
        }
        assertTrue(checked >= 25, "only " + checked + " documented answers checked");
    }
}
