package dev.sparkgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Waiting on the gateway under test, and reading bodies that may end early. */
public final class Awaits {

    private Awaits() {
    }

    /** Polls {@code /q/health/ready} until it answers {@code expected}, at most {@code timeout}. */
    public static void readiness(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int status;
        do {
            status = given().when().get("/q/health/ready").statusCode();
            if (status != expected) {
                Thread.sleep(250);
            }
        } while (status != expected && System.nanoTime() < deadline);
        assertEquals(expected, status, "readiness");
    }

    /** Polls {@code condition} every 100 ms until it holds; fails naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " did not happen within " + timeout);
            }
            Thread.sleep(100);
        }
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
