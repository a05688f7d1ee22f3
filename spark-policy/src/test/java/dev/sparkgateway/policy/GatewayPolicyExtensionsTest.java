package dev.sparkgateway.policy;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension on a real (classic, local) Spark: every category is denied for a restricted
 * session, however it is spelled or hidden, and the same statements pass the policy in an
 * unrestricted one (they may still fail for other reasons there, e.g. no JDBC driver).
 */
class GatewayPolicyExtensionsTest {

    private static final String REFLECT = "'java.lang.System', 'getProperty', 'java.version'";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static SparkSession spark;
    private static Path allowed;
    private static Path outside;

    @BeforeAll
    static void start() throws IOException {
        Path base = Files.createDirectories(Path.of("target", "policy-test").toAbsolutePath());
        Path run = Files.createTempDirectory(base, "run");
        allowed = Files.createDirectories(run.resolve("allowed"));
        outside = Files.createDirectories(run.resolve("outside"));
        Files.writeString(outside.resolve("hello.txt"), "secret\n");
        // Real files: an unrestricted ADD JAR/ARCHIVE registers them with the shared SparkContext.
        zip(outside.resolve("x.jar"));
        zip(outside.resolve("x.zip"));
        spark = SparkSession.builder().master("local[1]").appName("policy-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.warehouse.dir", run.resolve("warehouse").toString())
                .config("spark.sql.extensions", GatewayPolicyExtensions.class.getName())
                .config(GatewayPolicyExtensions.ALLOWED_ROOTS, allowed.toString())
                .getOrCreate();
        spark.range(3).write().parquet(allowed.resolve("p").toString());
        spark.range(3).write().parquet(outside.resolve("p").toString());
        spark.sql("CREATE TABLE managed (value STRING) USING parquet");
        spark.sql("CREATE TABLE external_outside USING parquet LOCATION '" + outside.resolve("p") + "'");
        spark.sql("CREATE VIEW reflecting_view AS SELECT reflect(" + REFLECT + ") AS v");
        spark.sql("CREATE GLOBAL TEMP VIEW reading_view AS SELECT * FROM text.`" + outside.resolve("hello.txt") + "`");
    }

    private static void zip(Path file) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("empty.txt"));
            zip.closeEntry();
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static SparkSession restricted() {
        SparkSession session = spark.newSession();
        session.conf().set(GatewayPolicyExtensions.RESTRICTED, "true");
        return session;
    }

    /** Statements every restricted session must be denied, with a fragment of the denial. */
    static List<String[]> deniedStatements() {
        String out = outside.toString();
        String n = "n" + NAMES.incrementAndGet();
        return List.of(
                new String[] {"SELECT reflect(" + REFLECT + ")", "function reflect"},
                new String[] {"SELECT JaVa_MeThOd(" + REFLECT + ")", "function java_method"},
                new String[] {"SELECT TRY_reflect(" + REFLECT + ")", "function try_reflect"},
                new String[] {"SELECT 1 WHERE EXISTS (SELECT reflect(" + REFLECT + "))", "function reflect"},
                new String[] {"SELECT (SELECT java_method(" + REFLECT + "))", "function java_method"},
                new String[] {"WITH c AS (SELECT reflect(" + REFLECT + ") r) SELECT * FROM c JOIN c AS d", "function reflect"},
                new String[] {"EXECUTE IMMEDIATE 'SELECT reflect(" + REFLECT.replace("'", "\"") + ")'", "function reflect"},
                new String[] {"SELECT * FROM reflecting_view", "function reflect"},
                new String[] {"SELECT * FROM global_temp.reading_view", "path file:" + out + "/hello.txt"},
                new String[] {"CREATE TEMPORARY VIEW " + n + "v AS SELECT reflect(" + REFLECT + ")", "function reflect"},
                new String[] {"CACHE TABLE " + n + "c AS SELECT reflect(" + REFLECT + ")", "function reflect"},
                new String[] {"CREATE TABLE " + n + "ctas USING parquet AS SELECT java_method(" + REFLECT + ") v", "function java_method"},
                new String[] {"SELECT TRANSFORM(id) USING 'cat' AS (x) FROM range(1)", "TRANSFORM"},
                new String[] {"ADD JAR " + out + "/x.jar", "ADD JAR"},
                new String[] {"ADD FILE " + out + "/hello.txt", "ADD FILE"},
                new String[] {"ADD ARCHIVE " + out + "/x.zip", "ADD ARCHIVE"},
                new String[] {"CREATE TEMPORARY FUNCTION " + n + "f AS 'com.example.Udf'", "CREATE FUNCTION from class com.example.Udf"},
                new String[] {"CREATE FUNCTION " + n + "g AS 'com.example.Udf' USING JAR '" + out + "/x.jar'", "CREATE FUNCTION"},
                new String[] {"SELECT * FROM text.`" + out + "/hello.txt`", "path file:" + out + "/hello.txt"},
                new String[] {"SELECT * FROM parquet.`" + out + "/p`", "path file:" + out + "/p"},
                new String[] {"SELECT * FROM csv.`" + out + "/hello.txt`", "path"},
                new String[] {"SELECT * FROM json.`" + out + "/hello.txt`", "path"},
                new String[] {"SELECT * FROM binaryFile.`" + out + "`", "path"},
                new String[] {"SELECT * FROM parquet.`" + allowed + "/p/../../outside/p`", "path"},
                new String[] {"SELECT count(*) FROM range(3) WHERE id IN (SELECT length(value) FROM text.`" + out + "/hello.txt`)", "path"},
                new String[] {"CREATE TABLE " + n + "loc (a INT) USING parquet LOCATION '" + out + "/t'", out + "/t"},
                new String[] {"CREATE TABLE " + n + "opt USING parquet OPTIONS (path '" + out + "/t2') AS SELECT 1 a", "path"},
                new String[] {"CREATE DATABASE " + n + "db LOCATION '" + out + "/db'", "path"},
                new String[] {"CREATE TABLE " + n + "like LIKE managed LOCATION '" + out + "/like'", out + "/like"},
                new String[] {"ALTER TABLE managed ADD PARTITION (value = 'x') LOCATION '" + out + "/part'", out + "/part"},
                new String[] {"ALTER TABLE managed SET LOCATION '" + out + "/t3'", out + "/t3"},
                new String[] {"ALTER TABLE managed SET SERDEPROPERTIES ('path' = '" + out + "/t4')", "path"},
                new String[] {"INSERT OVERWRITE DIRECTORY '" + out + "/dir' USING parquet SELECT 1", out + "/dir"},
                new String[] {"LOAD DATA LOCAL INPATH '" + out + "/hello.txt' INTO TABLE managed", "path " + out + "/hello.txt"},
                new String[] {"CREATE TEMPORARY VIEW " + n + "tv USING parquet OPTIONS (path '" + out + "/p')", "path"},
                new String[] {"CREATE TEMPORARY VIEW " + n + "jv USING jdbc OPTIONS (url 'jdbc:derby:memory:x', dbtable 't')", "JDBC"},
                new String[] {"CREATE TEMPORARY VIEW " + n + "jv2 USING org.apache.spark.sql.jdbc OPTIONS (url 'jdbc:derby:memory:x', dbtable 't')", "JDBC"},
                new String[] {"SET " + GatewayPolicyExtensions.RESTRICTED + "=false", "SET " + GatewayPolicyExtensions.RESTRICTED},
                new String[] {"set Spark.SparkGateway.Policy.Restricted = false", "SET"},
                new String[] {"RESET " + GatewayPolicyExtensions.RESTRICTED, "RESET " + GatewayPolicyExtensions.RESTRICTED},
                new String[] {"RESET", "RESET of all settings"},
                new String[] {"SET " + GatewayPolicyExtensions.ALLOWED_ROOTS + "=/", "SET"},
                new String[] {"SET spark.sql.warehouse.dir=/tmp/w", "SET spark.sql.warehouse.dir"},
                new String[] {"SET spark.executor.memory=1g", "SET spark.executor.memory"},
                new String[] {"SET spark.hadoop.fs.defaultFS=file:///", "SET spark.hadoop.fs.defaultFS"},
                new String[] {"SET spark.sql.legacy.setCommandRejectsSparkCoreConfs=false", "SET"},
                new String[] {"SET fs.file.impl=com.example.Fs", "SET fs.file.impl"});
    }

    /** DataFrame API calls that must be denied (they reach the analyzer without SQL text). */
    static List<Consumer<SparkSession>> deniedDataFrames() {
        List<Consumer<SparkSession>> calls = new ArrayList<>();
        calls.add(s -> s.range(1).selectExpr("reflect(" + REFLECT + ")"));
        calls.add(s -> s.read().text(outside.resolve("hello.txt").toString()));
        calls.add(s -> s.read().parquet(outside.resolve("p").toString()));
        calls.add(s -> s.read().format("binaryFile").load(outside.toString()));
        calls.add(s -> s.readStream().text(outside.toString()));
        calls.add(s -> s.range(1).write().parquet(outside.resolve("w" + NAMES.incrementAndGet()).toString()));
        calls.add(s -> s.range(1).write().format("jdbc").option("url", "jdbc:derby:memory:x").option("dbtable", "t").save());
        calls.add(s -> {
            s.udf().register("plus_one", (UDF1<Long, Long>) x -> x + 1, DataTypes.LongType);
            s.sql("SELECT plus_one(id) FROM range(1)");
        });
        return calls;
    }

    @Test
    void restrictedSessionsAreDeniedEveryCategory() {
        SparkSession session = restricted();
        List<String> failures = new ArrayList<>();
        for (String[] statement : deniedStatements()) {
            denied(() -> session.sql(statement[0]), statement[1], statement[0], failures);
        }
        int i = 0;
        for (Consumer<SparkSession> call : deniedDataFrames()) {
            denied(() -> call.accept(session), "not allowed", "DataFrame call #" + i++, failures);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void unrestrictedSessionsAreNotAffected() {
        SparkSession session = spark.newSession();
        List<String> failures = new ArrayList<>();
        for (String[] statement : deniedStatements()) {
            notDenied(() -> session.sql(statement[0]), statement[0], failures);
        }
        int i = 0;
        for (Consumer<SparkSession> call : deniedDataFrames()) {
            notDenied(() -> call.accept(session), "DataFrame call #" + i++, failures);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(System.getProperty("java.version"),
                session.sql("SELECT reflect(" + REFLECT + ")").first().getString(0));
    }

    @Test
    void aTempViewMadeBeforeTheMarkIsCheckedWhenRead() {
        SparkSession session = spark.newSession();
        session.sql("CREATE TEMPORARY VIEW early AS SELECT java_method(" + REFLECT + ") AS v");
        session.conf().set(GatewayPolicyExtensions.RESTRICTED, "true");
        List<String> failures = new ArrayList<>();
        denied(() -> session.sql("SELECT * FROM early"), "function java_method", "temp view", failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void currentUserIsTheGatewaysCallerWhereverItIsWritten() {
        SparkSession session = restricted();
        session.conf().set(CurrentUserRule.USER, "alice");
        assertEquals("alice", session.sql("SELECT current_user()").collectAsList().get(0).getString(0));
        assertEquals("alice|alice|alice", session.sql("SELECT (SELECT user()) || '|' || session_user() || '|' || "
                + "(WITH u AS (SELECT current_user() AS n) SELECT n FROM u)").collectAsList().get(0).getString(0));
        List<String> failures = new ArrayList<>();
        denied(() -> session.sql("SET " + CurrentUserRule.USER + "=root"), "SET", "SET of the user", failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // Without the conf (not through the gateway) Spark's own answer stands.
        SparkSession plain = spark.newSession();
        assertEquals(System.getProperty("user.name"), plain.sql("SELECT current_user()").collectAsList().get(0).getString(0));
    }

    @Test
    void theMarkCannotBeLifted() {
        SparkSession session = restricted();
        List<String> failures = new ArrayList<>();
        denied(() -> session.sql("SET " + GatewayPolicyExtensions.RESTRICTED + "=false"), "SET", "SET", failures);
        denied(() -> session.sql("RESET"), "RESET", "RESET", failures);
        assertEquals("true", session.conf().get(GatewayPolicyExtensions.RESTRICTED));
        // The rule has seen the mark, so unsetting the conf by another channel (Spark Connect's
        // Config RPC sets session conf without the analyzer) leaves the session restricted.
        session.conf().unset(GatewayPolicyExtensions.RESTRICTED);
        denied(() -> session.sql("SELECT reflect(" + REFLECT + ")"), "function reflect", "after unset", failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void restrictedSessionsKeepTheOrdinarySurface() {
        SparkSession session = restricted();
        String t = "own" + NAMES.incrementAndGet();
        session.sql("SET spark.sql.shuffle.partitions=2");
        session.sql("SET myapp.setting=1");
        session.sql("SET " + GatewayPolicyExtensions.RESTRICTED).collect();
        session.sql("CREATE TABLE " + t + " (a INT) USING parquet");
        session.sql("INSERT INTO " + t + " VALUES (1), (2)");
        session.sql("CREATE TABLE " + t + "_ctas USING parquet AS SELECT a * 10 AS b FROM " + t);
        session.sql("CACHE TABLE " + t + "_cached AS SELECT * FROM " + t);
        assertEquals(30L, session.sql("SELECT sum(b) FROM " + t + "_ctas").first().getLong(0));
        assertEquals(3L, session.sql("SELECT count(*) FROM external_outside").first().getLong(0),
                "a catalog table an admin registered stays readable");
        session.sql("CREATE TEMPORARY FUNCTION plus1(x INT) RETURNS INT RETURN x + 1");
        assertEquals(2, session.sql("SELECT plus1(1)").first().getInt(0), "SQL functions stay allowed");
        List<String> failures = new ArrayList<>();
        // Spark analyzes a SQL function's body when it is created, so the policy sees it then.
        denied(() -> session.sql("CREATE TEMPORARY FUNCTION sneaky() RETURNS STRING RETURN reflect(" + REFLECT + ")"),
                "function reflect", "SQL function body", failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(3L, session.sql("SELECT count(*) FROM parquet.`" + allowed.resolve("p") + "`").first().getLong(0));
        assertEquals(3L, session.read().parquet(allowed.resolve("p").toString()).count());
        session.range(2).write().parquet(allowed.resolve("w" + NAMES.incrementAndGet()).toString());
    }

    @Test
    void fileSourcesSwitchedToV2AreCheckedToo() {
        SparkSession session = restricted();
        session.sql("SET spark.sql.sources.useV1SourceList=");
        var plan = session.read().parquet(allowed.resolve("p").toString()).queryExecution().analyzed();
        assertTrue(plan.find(p -> p instanceof DataSourceV2Relation).isDefined(), "the read is a V2 relation now: " + plan);
        List<String> failures = new ArrayList<>();
        denied(() -> session.read().parquet(outside.resolve("p").toString()), "path", "V2 read", failures);
        denied(() -> session.read().text(outside.resolve("hello.txt").toString()), "path", "V2 text read", failures);
        denied(() -> session.sql("SELECT * FROM parquet.`" + outside.resolve("p") + "`"), "path", "V2 SQL on file", failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void denied(Runnable call, String fragment, String what, List<String> failures) {
        try {
            call.run();
            failures.add("not denied: " + what);
        } catch (Exception e) { // AnalysisException is a checked exception Scala throws undeclared
            PolicyDeniedException denial = denial(e);
            if (denial == null) {
                failures.add("failed, but not by the policy: " + what + ": " + e);
            } else if (!denial.getMessage().contains(fragment)) {
                failures.add("denied for another reason: " + what + ": " + denial.getMessage());
            }
        }
    }

    private static void notDenied(Runnable call, String what, List<String> failures) {
        try {
            call.run();
        } catch (Exception e) { // AnalysisException is a checked exception Scala throws undeclared
            if (denial(e) != null) {
                failures.add("denied in an unrestricted session: " + what + ": " + e.getMessage());
            }
        }
    }

    private static PolicyDeniedException denial(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PolicyDeniedException d) {
                return d;
            }
        }
        return null;
    }

}
