package dev.sparkgateway.problem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/** Every problem {@code type} URI resolves to its documentation (RFC 9457 §3.1.1). */
@QuarkusTest
class ProblemTypeResourceTest {

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyTypeResolvesAsJsonByDefault(ProblemType type) {
        given().when().get(type.uri())
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("type", equalTo(type.uri()))
                .body("title", equalTo(type.title()))
                .body("status", equalTo(type.status()))
                .body("when", equalTo(type.when()))
                .body("whatToDo", equalTo(type.whatToDo()));
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyTypeResolvesAsHtmlForABrowser(ProblemType type) {
        given().accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").when().get(type.uri())
                .then().statusCode(200).contentType(ContentType.HTML)
                .body(containsString("<h1>" + ProblemTypePage.escape(type.title()) + "</h1>"))
                .body(containsString("HTTP status " + type.status()))
                .body(containsString("<h2>What to do</h2>"))
                .body(not(containsString("`")));
    }

    @Test
    void htmlRendersCodeSpansAndDropsDocLinks() {
        given().accept(ContentType.HTML).when().get(ProblemType.INVALID_REQUEST.uri())
                .then().statusCode(200)
                .body(containsString("<code>/ops/3/join/on</code>"))
                .body(containsString("see dataframe-spec.md)"));
    }

    @Test
    void theIndexListsEveryType() {
        given().when().get("/problems")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("$", hasSize(ProblemType.values().length))
                .body("[1].type", equalTo(ProblemType.values()[1].uri()));
    }

    @Test
    void anUnknownTypeIsItselfANotFoundProblem() {
        for (String accept : new String[] {"application/json", "text/html"}) {
            given().accept(accept).when().get("/problems/no-such-thing")
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo(ProblemType.NOT_FOUND.uri()))
                    .body("detail", containsString("'no-such-thing'"))
                    .body("instance", equalTo("/problems/no-such-thing"));
        }
    }
}
