package dev.sparkgateway.catalog;

import dev.sparkgateway.testing.ApiKeyFiles.Key;
import dev.sparkgateway.testing.ApiKeyMode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.sparkgateway.testing.ApiKeyMode.ALICE;
import static dev.sparkgateway.testing.ApiKeyMode.ROOT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * The catalog for principals the SQL policy restricts: they list what they could query anyway,
 * on their own restricted sessions, but not where files are; credentials are needed as for SQL.
 */
@QuarkusTest
@TestProfile(ApiKeyMode.class)
class CatalogPolicyTest {

    private static RequestSpecification as(Key key) {
        return given().header("Authorization", "Bearer " + key.key());
    }

    @Test
    void aRestrictedPrincipalListsWithoutLocations() {
        String db = "cat_policy_" + UUID.randomUUID().toString().substring(0, 8);
        as(ROOT).contentType("text/plain").body("CREATE DATABASE " + db).post("/v1/sql").then().statusCode(200);
        try {
            // Restricted principals may create managed tables by SQL, so they may see them listed.
            as(ALICE).contentType("text/plain").body("CREATE TABLE " + db + ".t (a INT, p STRING) USING parquet PARTITIONED BY (p)")
                    .post("/v1/sql").then().statusCode(200);
            String where = "databases.find { it.name == '" + db + "' }";
            as(ALICE).get("/v1/catalogs/spark_catalog/databases").then().statusCode(200)
                    .body("databases.name", hasItem(db)).body(where + ".locationUri", nullValue())
                    .body(where, org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("locationUri")));
            as(ROOT).get("/v1/catalogs/spark_catalog/databases").then().statusCode(200)
                    .body(where + ".locationUri", containsString(db));
            as(ALICE).get("/v1/catalogs/spark_catalog/databases/{db}/tables", db).then().statusCode(200)
                    .body("tables.name", contains("t"));
            as(ALICE).get("/v1/catalogs/spark_catalog/databases/{db}/tables/t", db).then().statusCode(200)
                    .body("columns.isPartition", contains(false, true)).body("provider", equalTo("parquet"))
                    .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("location")));
            as(ROOT).get("/v1/catalogs/spark_catalog/databases/{db}/tables/t", db).then().statusCode(200)
                    .body("location", containsString(db + ".db/t"));
        } finally {
            as(ROOT).contentType("text/plain").body("DROP DATABASE " + db + " CASCADE").post("/v1/sql").then().statusCode(200);
        }
    }

    @Test
    void credentialsAreNeededAsForSql() {
        given().get("/v1/catalogs").then().statusCode(401).body("type", equalTo("/problems/unauthenticated"));
        given().contentType("text/plain").body("SELECT 1").post("/sql").then().statusCode(401);
        as(ALICE).contentType("text/plain").body("SELECT current_user() AS u").post("/sql").then().statusCode(200)
                .body("rows[0][0]", equalTo("alice"));
    }
}
