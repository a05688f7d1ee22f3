package dev.sparkgateway.auth;

import dev.sparkgateway.testing.Browser;
import dev.sparkgateway.testing.CapturedLog;
import dev.sparkgateway.testing.StatementClient;
import dev.sparkgateway.testing.TokenIssuer;
import dev.sparkgateway.testing.TokenIssuerResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gateway.auth.mode=oidc} through HTTP against the real Spark server, with tokens of a real
 * issuer on loopback ({@link TokenIssuer}: discovery, JWKS, RS256): claims become the principal,
 * its Spark user and roles; expired, foreign-signed, unsigned, other-issuer and other-audience
 * tokens are 401.
 */
@QuarkusTest
@TestProfile(OidcAuthTest.Oidc.class)
class OidcAuthTest {

    public static class Oidc implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TokenIssuerResource.class));
        }
    }

    @ConfigProperty(name = "gateway.auth.oidc.issuer")
    String issuer;

    @TestHTTPResource("/")
    URI base;

    /** A token of the test issuer for {@code claims} (plus aud, iss, iat, exp unless given). */
    private String token(Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>(Map.of("aud", TokenIssuerResource.AUDIENCE));
        all.putAll(claims);
        return given().baseUri(issuer).contentType(ContentType.JSON).body(all).when().post("/token")
                .then().statusCode(200).extract().asString();
    }

    private String admin() {
        return token(Map.of("sub", "u-100", "preferred_username", "carol", "groups", List.of("admin", "ops")));
    }

    private static Response statements(String token) {
        return given().header("Authorization", "Bearer " + token).when().get("/v1/statements?limit=5");
    }

    @Test
    void theConsoleSignsInWithAnAccessToken() {
        String token = token(Map.of("sub", "u-701", "preferred_username", "dora", "groups", List.of("admin")));
        try (Browser browser = Browser.start()) {
            browser.driver.get(base.toString());
            browser.await(d -> browser.find("#login").isDisplayed());
            browser.find("#login-key").sendKeys(token);
            browser.find("#login-submit").click();
            browser.await(d -> browser.find("#app").isDisplayed() && browser.find("#who").getText().equals("Signed in"));
            browser.runToSuccess("SELECT current_user() AS u");
            // The statement ran as the token's Spark user claim.
            browser.await(d -> "dora".equals(browser.text(".grid-row[data-row='0'] > .grid-cell:nth-child(2)")));
            browser.screenshot("oidc-token");
        }
    }

    @Test
    void aValidTokenRunsAsTheSparkUserClaim() throws InterruptedException {
        String token = token(Map.of("sub", "u-700", "preferred_username", "carol", "groups", List.of("analyst")));
        try (CapturedLog requests = CapturedLog.of("dev.sparkgateway.request")) {
            String marker = "oidc-" + UUID.randomUUID();
            given().header("Authorization", "Bearer " + token).header("X-Request-Id", marker).contentType(ContentType.TEXT)
                    .body("SELECT current_user() AS u").when().post("/v1/sql").then().statusCode(200);
            // The statement ran on a session of Spark user 'carol' (the spark-user claim) for principal 'u-700' ('sub').
            List<String> lines = requests.await(l -> l.startsWith("request=" + marker + " "), Duration.ofSeconds(10));
            assertEquals(1, lines.size(), requests.messages().toString());
            assertTrue(lines.get(0).contains(" principal=u-700 spark_user=carol "), lines.get(0));
        }
        StatementClient client = new StatementClient(base);
        assertEquals("u-700", client.submit(200, "{\"sql\": \"SELECT 1\", \"waitTimeout\": \"PT30S\"}",
                "Authorization", "Bearer " + token).path("owner").asText());
        given().header("Authorization", "Bearer " + admin()).contentType(ContentType.TEXT).body("SELECT 1 AS one")
                .when().post("/v1/sql").then().statusCode(200).body("rows[0][0]", equalTo(1));
    }

    @Test
    void rolesComeFromTheGroupsClaimAsArrayOrString() {
        StatementClient client = new StatementClient(base);
        String id = client.submit(200, "{\"sql\": \"SELECT 2\", \"waitTimeout\": \"PT30S\"}", "Authorization", "Bearer " + admin())
                .path("statementId").asText();
        // A space-separated string is a roles claim too; without admin, another's statement is not there.
        String analyst = token(Map.of("sub", "u-200", "preferred_username", "dan", "groups", "analyst reporting"));
        statements(analyst).then().statusCode(200);
        assertEquals(404, client.send("GET", "/v1/statements/" + id, null, "Authorization", "Bearer " + analyst).statusCode());
        String otherAdmin = token(Map.of("sub", "u-300", "preferred_username", "erin", "groups", "ops, admin"));
        assertEquals(200, client.send("GET", "/v1/statements/" + id, null, "Authorization", "Bearer " + otherAdmin).statusCode());
        // No roles claim at all: authenticated, unprivileged.
        statements(token(Map.of("sub", "u-400", "preferred_username", "frank"))).then().statusCode(200);
    }

    @Test
    void invalidTokensAre401AndNeverEchoed() throws JoseException {
        long past = NumericDate.now().getValue() - 3600;
        long future = NumericDate.now().getValue() + 3600;
        RsaJsonWebKey foreign = TokenIssuer.rsaKey("foreign-key");
        RsaJsonWebKey sameKidForeign = TokenIssuer.rsaKey("issuer-key-1");
        Map<String, Object> carol = Map.of("sub", "u-100", "aud", TokenIssuerResource.AUDIENCE, "groups", List.of("admin"));
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("expired", token(Map.of("sub", "u-100", "iat", past - 600, "exp", past)));
        tokens.put("not yet valid", token(Map.of("sub", "u-100", "nbf", future, "exp", future + 300)));
        tokens.put("other issuer", token(Map.of("sub", "u-100", "iss", "http://127.0.0.1:1/realms/other")));
        tokens.put("other audience", token(Map.of("sub", "u-100", "aud", "another-service")));
        Map<String, Object> noExpiry = new HashMap<>(Map.of("sub", "u-100"));
        noExpiry.put("exp", null);
        tokens.put("no expiry", token(noExpiry));
        tokens.put("foreign key", TokenIssuer.sign(TokenIssuer.claims(issuer, carol), foreign, AlgorithmIdentifiers.RSA_USING_SHA256));
        tokens.put("foreign key, issuer's kid",
                TokenIssuer.sign(TokenIssuer.claims(issuer, carol), sameKidForeign, AlgorithmIdentifiers.RSA_USING_SHA256));
        tokens.put("alg none", TokenIssuer.sign(TokenIssuer.claims(issuer, carol), null, AlgorithmIdentifiers.NONE));
        tokens.put("malformed", "not.a-jwt");
        tokens.put("garbage", "eyJhbGciOiJSUzI1NiJ9.e30");
        Map<String, String> expected = Map.of("expired", "The token has expired", "not yet valid", "The token is not valid yet",
                "other issuer", "The token is not from the configured issuer",
                "other audience", "The token is not meant for this gateway (audience)", "no expiry", "The token has no expiry ('exp')",
                "alg none", "The token is not signed by a key of the issuer, or its algorithm is not accepted");
        for (Map.Entry<String, String> t : tokens.entrySet()) {
            Response response = given().header("Authorization", "Bearer " + t.getValue()).contentType(ContentType.TEXT)
                    .body("SELECT 1").when().post("/v1/sql");
            assertEquals(401, response.statusCode(), t.getKey() + ": " + response.asString());
            assertEquals("/problems/unauthenticated", response.jsonPath().getString("type"), t.getKey());
            assertEquals("Bearer realm=\"spark-connect-gateway\", error=\"invalid_token\"", response.header("WWW-Authenticate"));
            assertFalse(response.asString().contains(t.getValue()), t.getKey() + " echoed: " + response.asString());
            if (expected.containsKey(t.getKey())) {
                assertEquals(expected.get(t.getKey()), response.jsonPath().getString("detail"), t.getKey());
            }
        }
    }

    @Test
    void unusableSparkUserNamesAre403() {
        for (Object name : List.of("", "   ", "x".repeat(200), "bad\nname")) {
            Response response = statements(token(Map.of("sub", "u-500", "preferred_username", name)));
            assertEquals(403, response.statusCode(), response.asString());
            assertEquals("/problems/forbidden", response.jsonPath().getString("type"));
            assertTrue(response.jsonPath().getString("detail").contains("'preferred_username'"), response.asString());
        }
        // No principal claim at all is a token that names nobody: 401.
        statements(token(Map.of("preferred_username", "dave"))).then().statusCode(401);
    }

    @Test
    void missingCredentialsAre401WithABearerChallengeAndDocumentsStayOpen() {
        given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"spark-connect-gateway\"")
                .body("type", equalTo("/problems/unauthenticated"));
        given().header("Authorization", "Basic YWxpY2U6eA==").when().get("/v1/statements").then().statusCode(401);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/openapi").then().statusCode(200);
        given().when().get("/problems/unauthenticated").then().statusCode(200);
    }

    @Test
    void theJwksIsCachedNotFetchedPerRequest() {
        String token = admin();
        statements(token).then().statusCode(200);
        int before = jwksFetches();
        for (int i = 0; i < 5; i++) {
            statements(token(Map.of("sub", "u-600-" + i, "preferred_username", "g" + i))).then().statusCode(200);
        }
        assertEquals(before, jwksFetches());
    }

    private int jwksFetches() {
        return Integer.parseInt(given().baseUri(issuer).when().get("/jwks-fetches").then().statusCode(200).extract().asString());
    }
}
