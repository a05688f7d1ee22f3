package dev.sparkgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Waiting on the gateway under test, and reading bodies that may end early. */
public final class Awaits {

    private Awaits() {
    }

    /** Polls {@code /q/health/ready} until it answers {@code expected}, at most {@code timeout}. */
    public static void readiness(int expected, Duration timeout) {
        await("readiness " + expected).atMost(timeout).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertEquals(expected, given().when().get("/q/health/ready").statusCode(), "readiness"));
    }

    /** Polls {@code condition} every 100 ms until it holds; fails naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }

    /** Reads {@code body} to its end into {@code into}; returns the IOException that ended it early, or null. */
    public static IOException drain(InputStream body, ByteArrayOutputStream into) {
        byte[] buffer = new byte[64 * 1024];
        try (body) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                into.write(buffer, 0, n);
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }
}
