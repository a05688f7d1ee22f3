package dev.sparkgateway.front;

import dev.sparkgateway.testing.TokenIssuerResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.sparkgateway.front.FrontClient.newSession;
import static dev.sparkgateway.front.FrontClient.query;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The front with {@code gateway.auth.mode=oidc} and tokens of a real issuer on loopback. An OIDC
 * check may block (the first token fetches the issuer's keys), so it runs off the event loops; the
 * call is then relayed on the loop it arrived on, as with API keys.
 */
@QuarkusTest
@TestProfile(ConnectFrontOidcTest.Oidc.class)
class ConnectFrontOidcTest extends FrontTest {

    public static class Oidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.connect-front.enabled", "true", "gateway.connect-front.port", "0",
                    "gateway.connect-front.host", "127.0.0.1", "gateway.connect-front.event-loops", "1");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TokenIssuerResource.class));
        }
    }

    @ConfigProperty(name = "gateway.auth.oidc.issuer")
    String issuer;

    private String token(String user) {
        Map<String, Object> claims = new HashMap<>(Map.of("aud", TokenIssuerResource.AUDIENCE, "sub", "u-" + user,
                "preferred_username", user, "groups", List.of("analyst")));
        return given().baseUri(issuer).contentType(ContentType.JSON).body(claims).when().post("/token")
                .then().statusCode(200).extract().asString();
    }

    @Test
    void callersWithTokensRunAsTheirSparkUserConcurrently() {
        String erin = token("erin");
        String fred = token("fred");
        // Sixteen first calls at once on one loop, each creating its session: none waits for another's key check.
        List<CompletableFuture<String>> users = IntStream.range(0, 16).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> FrontClient.firstValue(client.blocking(i % 2 == 0 ? erin : fred)
                        .executePlan(query(newSession(), "SELECT current_user()"))))).toList();
        for (int i = 0; i < users.size(); i++) {
            assertEquals(i % 2 == 0 ? "erin" : "fred", users.get(i).join());
        }
    }

    @Test
    void aTokenOfNoIssuerIsRefused() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> FrontClient.all(client.blocking("not.a.token").executePlan(query(newSession(), "SELECT 1"))));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.getMessage());
        StatusRuntimeException none = assertThrows(StatusRuntimeException.class,
                () -> FrontClient.all(client.blocking(null).executePlan(query(newSession(), "SELECT 1"))));
        assertEquals(Status.Code.UNAUTHENTICATED, none.getStatus().getCode(), none.getMessage());
    }
}
