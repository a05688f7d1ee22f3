package dev.sparkgateway.frontit;

import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official Spark Connect JVM client (4.0.0) through the gateway's front door, against the
 * real Spark server behind it. The gateway, its keys and the front's port come from the root
 * build's ConnectFrontClientIT as system properties. The host is {@code localhost}: the 4.0 client
 * sends a token without TLS to that host name only (any other host with a token means TLS).
 */
class OfficialClientTest {

    private static final String HOST = System.getProperty("front.host", "localhost");
    private static final String PORT = required("front.port");
    private static final String ANALYST = required("front.analyst-key");
    private static final String ANALYST_SPARK_USER = required("front.analyst-spark-user");
    private static final String OTHER = required("front.other-key");
    private static final String ADMIN = required("front.admin-key");

    private final List<SparkSession> opened = new ArrayList<>();

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("-D" + name + " is required (ConnectFrontClientIT in the root build sets it)");
        }
        return value;
    }

    private SparkSession connect(String token, String extra) {
        SparkSession spark = SparkSession.builder()
                .remote("sc://" + HOST + ":" + PORT + "/;use_ssl=false;token=" + token + extra).create();
        opened.add(spark);
        return spark;
    }

    @AfterEach
    void closeSessions() {
        for (SparkSession spark : opened) {
            try {
                spark.close();
            } catch (RuntimeException e) {
                // A session the test made unusable (a wrong token) has nothing to release.
            }
        }
    }

    @Test
    void sqlAndDataFrameOperations() {
        SparkSession spark = connect(ANALYST, "");
        assertEquals(1, spark.sql("SELECT 1 AS one").collectAsList().get(0).getInt(0));
        Row sum = spark.range(100).filter("id % 2 = 0").selectExpr("sum(id) AS s", "count(*) AS n").collectAsList().get(0);
        assertEquals(2450L, sum.getLong(0));
        assertEquals(50L, sum.getLong(1));
        assertEquals("4.0.0", spark.version(), "AnalyzePlan spark_version through the front");
    }

    @Test
    void theClaimedUserIsReplacedByThePrincipalsSparkUser() {
        SparkSession spark = connect(ANALYST, ";user_id=root");
        assertEquals(ANALYST_SPARK_USER, spark.sql("SELECT current_user()").collectAsList().get(0).getString(0));
    }

    @Test
    void tempViewsAndSetPersistWithinOneClientSession() {
        SparkSession spark = connect(ANALYST, "");
        spark.sql("SET spark.sql.shuffle.partitions=3");
        spark.range(5).createOrReplaceTempView("front_it_v");
        assertEquals("3", spark.conf().get("spark.sql.shuffle.partitions"));
        assertEquals(5L, spark.table("front_it_v").count());
        SparkSession other = connect(ANALYST, "");
        Exception e = assertThrows(Exception.class, () -> other.table("front_it_v").count());
        assertEquals("TABLE_OR_VIEW_NOT_FOUND", ((SparkThrowable) e).getCondition(), e.getMessage());
    }

    @Test
    void aMultiMillionRowResultStreamsComplete() {
        SparkSession spark = connect(ANALYST, "");
        long rows = 0;
        Iterator<Long> it = spark.range(3_000_000).toLocalIterator();
        while (it.hasNext()) {
            it.next();
            rows++;
        }
        assertEquals(3_000_000L, rows);
    }

    @Test
    void errorsKeepTheirErrorClass() {
        SparkSession spark = connect(ANALYST, "");
        Exception e = assertThrows(Exception.class, () -> spark.sql("SELECT * FROM no_such_front_table").collectAsList());
        assertTrue(e instanceof SparkThrowable, e.getClass().getName());
        assertEquals("TABLE_OR_VIEW_NOT_FOUND", ((SparkThrowable) e).getCondition(), e.getMessage());
        Exception div = assertThrows(Exception.class, () -> spark.sql("SELECT 1 / 0").collectAsList());
        assertEquals("DIVIDE_BY_ZERO", ((SparkThrowable) div).getCondition(), div.getMessage());
    }

    @Test
    void schemaAndExplainThroughAnalyzePlan() {
        SparkSession spark = connect(ANALYST, "");
        var df = spark.sql("SELECT 1 AS one, 'x' AS two");
        assertArrayEquals(new String[] {"one", "two"}, df.schema().fieldNames());
        assertTrue(df.schema().treeString().contains("one: integer"), df.schema().treeString());
        assertEquals(2, df.columns().length);
        // explain prints what AnalyzePlan's explain answered.
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            df.explain("extended");
        } finally {
            System.setOut(out);
        }
        String plan = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(plan.contains("== Physical Plan ==") && plan.contains("== Analyzed Logical Plan =="), plan);
    }

    @Test
    void interruptAllEndsARunningQuery() throws Exception {
        SparkSession spark = connect(ANALYST, "");
        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            try {
                spark.range(0, 100_000_000_000L, 1, 2).selectExpr("sum(id)").collectAsList();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean interrupted = false;
        while (!interrupted && System.nanoTime() < deadline && !ended.isDone()) {
            interrupted = !spark.interruptAll().isEmpty();
            if (!interrupted) {
                Thread.sleep(100); // polling for the operation to be registered
            }
        }
        assertTrue(interrupted, "interruptAll found the running operation");
        Throwable error = ended.get(60, TimeUnit.SECONDS);
        assertTrue(error != null && String.valueOf(error.getMessage()).contains("OPERATION_CANCELED"), String.valueOf(error));
    }

    @Test
    void anotherPrincipalCannotUseTheSession() {
        String session = UUID.randomUUID().toString();
        SparkSession ana = connect(ANALYST, ";session_id=" + session);
        ana.range(3).createOrReplaceTempView("front_it_mine");
        SparkSession ben = connect(OTHER, ";session_id=" + session);
        Exception e = assertThrows(Exception.class, () -> ben.table("front_it_mine").count());
        assertTrue(e.getMessage().contains("SESSION_NOT_FOUND") || e.getMessage().contains("NOT_FOUND"), e.getMessage());
        SparkSession admin = connect(ADMIN, ";session_id=" + session);
        assertThrows(Exception.class, () -> admin.table("front_it_mine").count(), "not even an admin joins another's session");
        assertEquals(3L, ana.table("front_it_mine").count(), "still the owner's");
    }

    @Test
    void aWrongTokenIsRefused() {
        SparkSession spark = connect("not-a-key", "");
        Exception e = assertThrows(Exception.class, () -> spark.sql("SELECT 1").collectAsList());
        assertTrue(String.valueOf(e.getMessage()).contains("UNAUTHENTICATED") || String.valueOf(e.getMessage()).contains("API key"),
                e.getMessage());
    }

    @Test
    void aRestrictedPrincipalIsDeniedReflectionAndFileReads() {
        SparkSession spark = connect(ANALYST, "");
        Exception reflect = assertThrows(Exception.class,
                () -> spark.sql("SELECT reflect('java.lang.System', 'getProperty', 'java.class.path')").collectAsList());
        assertTrue(reflect.getMessage().contains("GATEWAY_POLICY_DENIED"), reflect.getMessage());
        Exception file = assertThrows(Exception.class, () -> spark.read().text("/etc/hostname").collectAsList());
        assertTrue(file.getMessage().contains("GATEWAY_POLICY_DENIED"), file.getMessage());
        SparkSession admin = connect(ADMIN, "");
        assertTrue(admin.sql("SELECT reflect('java.lang.System', 'getProperty', 'java.version')").collectAsList()
                .get(0).getString(0).startsWith("17"), "an admin is unrestricted");
    }
}
