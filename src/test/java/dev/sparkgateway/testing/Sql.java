package dev.sparkgateway.testing;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;

/** RestAssured shortcuts for POST /v1/sql, the request most API tests send. */
public final class Sql {

    public static final String PROBLEM = "application/problem+json";

    private Sql() {
    }

    /** The answer to {@code sql} sent as text/plain. */
    public static ValidatableResponse text(String sql) {
        return given().contentType(ContentType.TEXT).body(sql).when().post("/v1/sql").then();
    }

    /** The answer to a JSON request body. */
    public static ValidatableResponse json(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/sql").then();
    }

    /** The answer to a JSON request body, asking for the result as {@code accept}. */
    public static ValidatableResponse json(String body, String accept) {
        return given().contentType(ContentType.JSON).accept(accept).body(body).when().post("/v1/sql").then();
    }

    /** The answer to {@code sql} sent as text/plain, checked to be a problem+json of {@code status}. */
    public static ValidatableResponse problem(int status, String sql) {
        return text(sql).statusCode(status).contentType(PROBLEM);
    }

    /** The answer to a JSON request body, checked to be a problem+json of {@code status}. */
    public static ValidatableResponse jsonProblem(int status, String body) {
        return json(body).statusCode(status).contentType(PROBLEM);
    }
}
