package dev.sparkgateway.embedded;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the child JVM that runs a local Spark Connect server. It ties the child's life
 * to its parent: the parent holds our stdin open, so when the parent dies for any reason
 * (even SIGKILL) stdin reaches EOF and the server exits instead of lingering.
 * Uses only the JDK: it runs on Spark's classpath, not the gateway's.
 */
public final class SparkServerMain {

    private SparkServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(SparkServerMain::exitWhenParentGone, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Class.forName("org.apache.spark.sql.connect.service.SparkConnectServer")
                .getMethod("main", String[].class)
                .invoke(null, (Object) args);
    }

    private static void exitWhenParentGone() {
        try (InputStream in = System.in) {
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // The parent never writes; reading only waits for EOF.
            }
        } catch (IOException ignored) {
            // A broken pipe means the parent is gone, same as EOF.
        }
        Thread killer = new Thread(SparkServerMain::haltLater, "halt-after-grace");
        killer.setDaemon(true);
        killer.start();
        System.exit(0);
    }

    private static void haltLater() {
        try {
            Thread.sleep(10_000);
        } catch (InterruptedException ignored) {
            // fall through to halt
        }
        Runtime.getRuntime().halt(1);
    }
}
