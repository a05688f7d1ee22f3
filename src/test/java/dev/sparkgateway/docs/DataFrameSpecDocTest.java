package dev.sparkgateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

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
    @Test
    void everyDocumentedExampleRunsAndAnswersAsDocumented() throws Exception {
        List<DocExamples.Example> examples = new java.util.ArrayList<>(DocExamples.read(Path.of("docs", "dataframe-spec.md")));
        examples.addAll(DocExamples.read(Path.of("README.md")).stream().filter(e -> e.path().startsWith("/v1/dataframe")).toList());
        assertTrue(examples.size() >= 30, "found only " + examples.size() + " examples");
        int checked = 0;
        for (DocExamples.Example example : examples) {
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
