package dev.sparkgateway.front;

import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/** A test class of the front: one {@link FrontClient} to the running front, shared by its tests and closed after them. */
abstract class FrontTest {

    @Inject
    ConnectFront front;

    static FrontClient client;

    @BeforeEach
    void connect() {
        if (client == null) {
            client = new FrontClient(front.port());
        }
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
