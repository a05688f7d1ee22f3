package dev.sparkgateway.plan;

import static dev.sparkgateway.plan.LiteralsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlPlansTest {

    private static final String QUERY = "SELECT * FROM t WHERE a = :a";

    static SQL sqlOf(Plan plan) {
        assertTrue(plan.hasCommand(), "a command plan");
        assertTrue(plan.getCommand().hasSqlCommand(), "a SqlCommand");
        assertTrue(plan.getCommand().getSqlCommand().getInput().hasSql(), "SqlCommand.input is a SQL relation");
        return plan.getCommand().getSqlCommand().getInput().getSql();
    }

    @Test
    @SuppressWarnings("deprecation")
    void commandCarriesTheQueryAsTheInputRelation() {
        Plan plan = SqlPlans.command(QUERY, null);
        SQL sql = sqlOf(plan);
        assertEquals(QUERY, sql.getQuery());
        assertEquals(0, sql.getArgsCount());
        assertEquals(0, sql.getPosArgsCount());
        // the deprecated inline fields of SqlCommand stay empty: only SqlCommand.input is used
        assertEquals("", plan.getCommand().getSqlCommand().getSql());
        assertEquals(0, plan.getCommand().getSqlCommand().getNamedArgumentsCount());
    }

    @Test
    void namedParametersBecomeNamedArgumentLiterals() {
        SQL sql = sqlOf(SqlPlans.command(QUERY, json("{\"a\": 1, \"b\": \"x\", \"c\": {\"value\": \"1.5\", \"type\": \"DECIMAL(3,1)\"}}")));
        assertEquals(3, sql.getNamedArgumentsCount());
        assertEquals(0, sql.getPosArgumentsCount());
        assertEquals(1, sql.getNamedArgumentsOrThrow("a").getLiteral().getInteger());
        assertEquals("x", sql.getNamedArgumentsOrThrow("b").getLiteral().getString());
        Expression.Literal.Decimal c = sql.getNamedArgumentsOrThrow("c").getLiteral().getDecimal();
        assertEquals("1.5", c.getValue());
        assertEquals(3, c.getPrecision());
        assertEquals(1, c.getScale());
    }

    @Test
    void positionalParametersKeepTheirOrder() {
        SQL sql = sqlOf(SqlPlans.command("SELECT ?, ?, ?", json("[3, \"two\", null]")));
        assertEquals(0, sql.getNamedArgumentsCount());
        List<Expression> args = sql.getPosArgumentsList();
        assertEquals(3, args.size());
        assertEquals(3, args.get(0).getLiteral().getInteger());
        assertEquals("two", args.get(1).getLiteral().getString());
        assertTrue(args.get(2).getLiteral().hasNull());
    }

    @ParameterizedTest(name = "parameters = {0}")
    @NullSource
    @ValueSource(strings = {"null"})
    void nullParametersBindNothing(String parameters) {
        SQL sql = sqlOf(SqlPlans.command(QUERY, parameters == null ? null : json(parameters)));
        assertEquals(0, sql.getNamedArgumentsCount());
        assertEquals(0, sql.getPosArgumentsCount());
    }

    @Test
    void missingParametersBindNothing() {
        SQL sql = sqlOf(SqlPlans.command(QUERY, json("{\"sql\": \"x\"}").path("parameters")));
        assertEquals(0, sql.getNamedArgumentsCount());
        assertEquals(0, sql.getPosArgumentsCount());
    }

    @Test
    void emptyObjectAndArrayBindNothing() {
        assertEquals(0, sqlOf(SqlPlans.command(QUERY, json("{}"))).getNamedArgumentsCount());
        assertEquals(0, sqlOf(SqlPlans.command(QUERY, json("[]"))).getPosArgumentsCount());
    }

    @ParameterizedTest(name = "parameters = {0}")
    @ValueSource(strings = {"\"a=1\"", "42", "true"})
    void scalarParametersAreRejected(String parameters) {
        PlanException e = assertThrows(PlanException.class, () -> SqlPlans.command(QUERY, json(parameters)));
        assertEquals("/parameters", e.pointer());
        assertTrue(e.getMessage().contains("object") && e.getMessage().contains("array"), e.getMessage());
    }

    @ParameterizedTest(name = "sql = ''{0}''")
    @NullSource
    @ValueSource(strings = {"", "   ", "\n\t"})
    void emptySqlIsRejected(String sql) {
        PlanException e = assertThrows(PlanException.class, () -> SqlPlans.command(sql, null));
        assertEquals("/sql", e.pointer());
        assertEquals("the SQL text is empty", e.getMessage());
    }

    /** A bad parameter's error points at it: by name or index, names escaped per RFC 6901. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"\": 1}                                                     | /parameters/",
            "{\"since\": {\"value\": \"yesterday\", \"type\": \"DATE\"}}   | /parameters/since/value",
            "[1, {\"value\": 300, \"type\": \"TINYINT\"}]                     | /parameters/1/value",
            "{\"a/b\": {\"value\": 1}}                                       | /parameters/a~1b",
            "{\"a~b\": {\"value\": \"x\", \"type\": \"INT\"}}                 | /parameters/a~0b/value",
            "{\"~/\": [1, \"x\"]}                                            | /parameters/~0~1/1"})
    void parameterErrorPointsAtTheParameter(String parameters, String pointer) {
        String sql = parameters.startsWith("[") ? "SELECT ?, ?" : QUERY;
        PlanException e = assertThrows(PlanException.class, () -> SqlPlans.command(sql, json(parameters)));
        assertEquals(pointer, e.pointer(), e.getMessage());
    }

    @Test
    void tokenEscapesTildeBeforeSlash() {
        assertEquals("a~1b", PlanException.token("a/b"));
        assertEquals("a~0b", PlanException.token("a~b"));
        assertEquals("~01", PlanException.token("~1"));
        assertEquals("~0~1", PlanException.token("~/"));
        assertEquals("plain", PlanException.token("plain"));
    }

    @Test
    void sqlReturnsTheRelationWithoutTheCommandWrapper() {
        Relation relation = SqlPlans.sql("SELECT :x", json("{\"x\": true}"));
        assertTrue(relation.hasSql());
        assertEquals("SELECT :x", relation.getSql().getQuery());
        assertTrue(relation.getSql().getNamedArgumentsOrThrow("x").getLiteral().getBoolean());
    }

    // --- root plans ---------------------------------------------------------------------

    private static final Relation RELATION = SqlPlans.sql("SELECT 1", null);

    @Test
    void rootWithoutLimitIsTheRelation() {
        Plan plan = SqlPlans.root(RELATION, OptionalLong.empty());
        assertTrue(plan.hasRoot());
        assertEquals(RELATION, plan.getRoot());
    }

    @Test
    void rootWithLimitAsksForOneRowMore() {
        Plan plan = SqlPlans.root(RELATION, OptionalLong.of(5));
        assertTrue(plan.getRoot().hasLimit());
        assertEquals(6, plan.getRoot().getLimit().getLimit());
        assertEquals(RELATION, plan.getRoot().getLimit().getInput());
    }

    @Test
    void rootWithLimitZeroStillProbesOneRow() {
        assertEquals(1, SqlPlans.root(RELATION, OptionalLong.of(0)).getRoot().getLimit().getLimit());
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(longs = {Integer.MAX_VALUE - 1L, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 10_000_000_000L, Long.MAX_VALUE - 1})
    void hugeLimitsClampToIntegerMax(long limit) {
        Plan plan = SqlPlans.root(RELATION, OptionalLong.of(limit));
        assertEquals(Integer.MAX_VALUE, plan.getRoot().getLimit().getLimit());
        assertEquals(RELATION, plan.getRoot().getLimit().getInput());
    }

    /**
     * {@code limit + 1} overflows for Long.MAX_VALUE (reachable: SqlResource accepts any limit >= 0,
     * e.g. {@code ?limit=9223372036854775807}); Math.min(Long.MIN_VALUE, Integer.MAX_VALUE) cast to int is 0,
     * so Spark is asked for LIMIT 0 and the caller gets no rows at all.
     */
    @Test
    void limitLongMaxClampsInsteadOfOverflowing() {
        Plan plan = SqlPlans.root(RELATION, OptionalLong.of(Long.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, plan.getRoot().getLimit().getLimit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "  select * from t", "(SELECT 1) UNION (SELECT 2)",
            "-- note\nSELECT 1", "/* hint */ VALUES (1)", "TABLE people", "\n\tSelect\n1"})
    void queriesSkipTheCommandStep(String sql) {
        assertTrue(SqlPlans.isQuery(sql), sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET a=1", "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
            "FROM t INSERT INTO u SELECT *", "CREATE TEMP VIEW v AS SELECT 1", "INSERT INTO t SELECT 1", "SELECTED", "SELECT_X",
            "select1", "EXPLAIN SELECT 1", "/* unterminated SELECT 1", "/* /* nested */ */ SELECT 1", "", "-- only a comment",
            "SHOW TABLES", "USE db", "DESCRIBE QUERY SELECT 1"})
    void everythingElseGoesThroughTheCommandStep(String sql) {
        assertFalse(SqlPlans.isQuery(sql), sql);
    }
}
