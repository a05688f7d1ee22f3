package dev.sparkgateway.session;

import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Sessions the server forgot (closed, expired, server restarted) are replaced without the caller noticing. */
@QuarkusTest
class SessionRecoveryTest {

    @Inject
    SessionPool pool;

    @Inject
    SparkConnectClient client;

    @Test
    void sessionsClosedBehindThePoolsBackAreReplaced() throws Exception {
        given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql").then().statusCode(200);
        List<ConnectSession> idle = pool.idleSessions();
        assertFalse(idle.isEmpty());
        for (ConnectSession session : idle) {
            client.releaseSession(session); // the server now answers INVALID_HANDLE.SESSION_CLOSED for these ids
        }
        for (int i = 0; i < idle.size() + 1; i++) {
            given().contentType(ContentType.TEXT).body("SELECT 40 + 2 AS answer").when().post("/v1/sql")
                    .then().statusCode(200).body("rows[0][0]", equalTo(42));
        }
    }
}
