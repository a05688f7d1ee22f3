package dev.sparkgateway.api;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.quarkus.test.junit.QuarkusTest;

import static dev.sparkgateway.api.DataFrameFixtures.assertSameResult;

/**
 * Every source and operation of the DataFrame spec against the SQL that means the same, on the
 * real Spark server: identical schema (names, types, nullability) and identical rows.
 */
@QuarkusTest
class DataFrameOperationsTest {

    // Not @BeforeAll: RestAssured learns the random test port only before each test.
    @BeforeEach
    void tables() {
        DataFrameFixtures.createTables();
    }

    @Test
    void tableSource() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}}", "SELECT * FROM df_people", false);
    }

    @Test
    void tableSourceWithOptionsObject() {
        assertSameResult("{\"source\": {\"table\": {\"name\": \"df_depts\", \"options\": {}}}}", "SELECT * FROM df_depts", false);
    }

    @Test
    void sqlSourceWithParameters() {
        assertSameResult("{\"source\": {\"sql\": {\"query\": \"SELECT name, age FROM df_people WHERE age > :min\","
                + " \"parameters\": {\"min\": 30}}}}", "SELECT name, age FROM df_people WHERE age > 30", false);
    }

    @Test
    void sqlSourceAsString() {
        assertSameResult("{\"source\": {\"sql\": \"SELECT dept FROM df_depts\"}, \"ops\": [{\"orderBy\": \"dept\"}]}",
                "SELECT dept FROM df_depts ORDER BY dept", true);
    }

    @Test
    void rangeSource() {
        assertSameResult("{\"source\": {\"range\": {\"start\": 2, \"end\": 20, \"step\": 3, \"numPartitions\": 2}}}",
                "SELECT id FROM range(2, 20, 3, 2)", true);
        assertSameResult("{\"source\": {\"range\": 5}}", "SELECT id FROM range(5)", true);
    }

    @Test
    void inlineRowsAsArraysAndObjects() {
        String schema = "id INT, name STRING, born DATE, tags ARRAY<STRING>, scores MAP<STRING, INT>,"
                + " address STRUCT<city: STRING, zip: INT>, amount DECIMAL(5,2), seen TIMESTAMP, ok BOOLEAN, big BIGINT, x DOUBLE";
        String spec = "{\"source\": {\"values\": {\"schema\": \"" + schema + "\", \"rows\": ["
                + "[1, \"Ada\", \"1815-12-10\", [\"math\", null], {\"a\": 1, \"b\": null}, {\"city\": \"London\", \"zip\": 1},"
                + " \"12.50\", \"2024-01-31T12:00:00Z\", true, 9007199254740993, 1.5],"
                + "{\"id\": 2, \"name\": null, \"address\": [\"Paris\", null], \"big\": -1},"
                + "[null, null, null, null, null, null, null, null, null, null, null]]}}}";
        String sql = "SELECT * FROM VALUES"
                + " (1, 'Ada', DATE'1815-12-10', array('math', NULL), map('a', 1, 'b', CAST(NULL AS INT)),"
                + " named_struct('city', 'London', 'zip', 1), CAST(12.50 AS DECIMAL(5,2)), TIMESTAMP'2024-01-31 12:00:00',"
                + " true, 9007199254740993L, 1.5D),"
                + " (2, NULL, NULL, NULL, NULL, named_struct('city', 'Paris', 'zip', CAST(NULL AS INT)), NULL, NULL, NULL, -1L, NULL),"
                + " (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
                + " AS t(id, name, born, tags, scores, address, amount, seen, ok, big, x)";
        assertSameResult(spec, sql, true);
    }

    @Test
    void select() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"select\": [\"name\", \"age + 1 AS next_age\","
                + " {\"col\": \"id\", \"as\": \"person\"}, {\"expr\": \"upper(name)\", \"as\": \"shout\"}]}]}",
                "SELECT name, age + 1 AS next_age, id AS person, upper(name) AS shout FROM df_people", false);
    }

    @Test
    void filterAndWhere() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"filter\": \"age > 30\"},"
                + " {\"where\": \"dept_id IS NOT NULL\"}]}",
                "SELECT * FROM df_people WHERE age > 30 AND dept_id IS NOT NULL", false);
    }

    @Test
    void withColumnAndWithColumns() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"withColumn\": {\"name\": \"age\", \"expr\": \"age * 12\"}},"
                + " {\"withColumns\": {\"band\": \"CASE WHEN age > 400 THEN 'senior' ELSE 'junior' END\", \"one\": \"1\"}}]}",
                "SELECT id, name, age * 12 AS age, dept_id, salary, CASE WHEN age * 12 > 400 THEN 'senior' ELSE 'junior' END AS band,"
                        + " 1 AS one FROM df_people", false);
    }

    @Test
    void withColumnRenamedAndWithColumnsRenamed() {
        assertSameResult("{\"source\": {\"table\": \"df_depts\"}, \"ops\": [{\"withColumnRenamed\": {\"from\": \"dept\", \"to\": \"department\"}},"
                + " {\"withColumnsRenamed\": {\"dept_id\": \"id\", \"department\": \"label\"}}]}",
                "SELECT dept_id AS id, dept AS label FROM df_depts", false);
    }

    @Test
    void drop() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"drop\": [\"salary\", \"age\"]}, {\"drop\": \"no_such_column\"}]}",
                "SELECT id, name, dept_id FROM df_people", false);
    }

    @Test
    void groupByWithSeveralAggregates() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"groupBy\": {\"by\": [\"dept_id\"],"
                + " \"agg\": [\"count(*) AS n\", \"avg(age) AS avg_age\", \"max(salary) AS top\", {\"expr\": \"collect_list(name)\", \"as\": \"names\"}]}},"
                + " {\"orderBy\": \"dept_id\"}]}",
                "SELECT dept_id, count(*) AS n, avg(age) AS avg_age, max(salary) AS top, collect_list(name) AS names"
                        + " FROM df_people GROUP BY dept_id ORDER BY dept_id", true);
    }

    @Test
    void globalAgg() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"agg\": [\"count(*) AS n\", \"sum(salary) AS total\"]}]}",
                "SELECT count(*) AS n, sum(salary) AS total FROM df_people", true);
    }

    @Test
    void orderByAndSortWithDirectionsAndNulls() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"orderBy\": [{\"col\": \"age\", \"order\": \"desc\","
                + " \"nulls\": \"first\"}, \"name\"]}]}",
                "SELECT * FROM df_people ORDER BY age DESC NULLS FIRST, name", true);
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"sort\": [\"age DESC NULLS LAST\", \"name asc\"]}]}",
                "SELECT * FROM df_people ORDER BY age DESC NULLS LAST, name ASC", true);
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"sort\": {\"expr\": \"salary\"}}, {\"select\": \"id\"}]}",
                "SELECT id FROM (SELECT * FROM df_people ORDER BY salary)", true);
    }

    @Test
    void limitAndOffset() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"orderBy\": \"id\"}, {\"offset\": 2}, {\"limit\": 3}]}",
                "SELECT * FROM df_people ORDER BY id LIMIT 3 OFFSET 2", true);
    }

    @Test
    void distinctAndDropDuplicates() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"select\": \"age\"}, {\"distinct\": true}]}",
                "SELECT DISTINCT age FROM df_people", false);
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"select\": [\"dept_id\", \"age > 30 AS senior\"]},"
                + " {\"dropDuplicates\": [\"dept_id\", \"senior\"]}]}",
                "SELECT DISTINCT dept_id, age > 30 AS senior FROM df_people", false);
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"select\": \"dept_id\"}, {\"dropDuplicates\": true}]}",
                "SELECT DISTINCT dept_id FROM df_people", false);
    }

    @Test
    void joinOnConditionWithAliases() {
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"alias\": \"p\"},"
                + " {\"join\": {\"right\": {\"source\": {\"table\": \"df_depts\"}, \"ops\": [{\"alias\": \"d\"}]},"
                + " \"on\": \"p.dept_id = d.dept_id\", \"how\": \"inner\"}}, {\"select\": [\"p.name\", \"d.dept\"]}]}",
                "SELECT p.name, d.dept FROM df_people p JOIN df_depts d ON p.dept_id = d.dept_id", false);
    }

    @Test
    void joinTypesOnUsingColumns() {
        String[][] types = {{"left", "LEFT OUTER"}, {"right", "RIGHT OUTER"}, {"full", "FULL OUTER"}, {"inner", "INNER"},
                {"left_outer", "LEFT OUTER"}, {"outer", "FULL OUTER"}};
        for (String[] type : types) {
            assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"join\": {\"right\": {\"source\": {\"table\": \"df_depts\"}},"
                    + " \"on\": [\"dept_id\"], \"how\": \"" + type[0] + "\"}}]}",
                    "SELECT * FROM df_people " + type[1] + " JOIN df_depts USING (dept_id)", false);
        }
    }

    @Test
    void semiAntiAndCrossJoins() {
        String depts = "{\"source\": {\"table\": \"df_depts\"}, \"ops\": [{\"alias\": \"d\"}]}";
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"alias\": \"p\"}, {\"join\": {\"right\": " + depts
                + ", \"on\": \"p.dept_id = d.dept_id\", \"how\": \"semi\"}}]}",
                "SELECT * FROM df_people p LEFT SEMI JOIN df_depts d ON p.dept_id = d.dept_id", false);
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"alias\": \"p\"}, {\"join\": {\"right\": " + depts
                + ", \"on\": \"p.dept_id = d.dept_id\", \"how\": \"anti\"}}]}",
                "SELECT * FROM df_people p LEFT ANTI JOIN df_depts d ON p.dept_id = d.dept_id", false);
        assertSameResult("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"select\": \"name\"}, {\"join\": {\"right\": {\"source\":"
                + " {\"table\": \"df_depts\"}, \"ops\": [{\"select\": \"dept\"}]}, \"how\": \"cross\"}}]}",
                "SELECT name, dept FROM df_people CROSS JOIN df_depts", false);
    }

    @Test
    void unionKeepsDuplicatesLikeTheDataFrameMethod() {
        String ids = "{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"select\": \"dept_id\"}]}";
        String depts = "{\"source\": {\"table\": \"df_depts\"}, \"ops\": [{\"select\": \"dept_id\"}]}";
        assertSameResult(ids.replace("]}", ", {\"union\": {\"right\": " + depts + "}}]}"),
                "SELECT dept_id FROM df_people UNION ALL SELECT dept_id FROM df_depts", false);
        assertSameResult(ids.replace("]}", ", {\"unionAll\": {\"right\": " + depts + "}}]}"),
                "SELECT dept_id FROM df_people UNION ALL SELECT dept_id FROM df_depts", false);
    }

    @Test
    void unionByName() {
        assertSameResult("{\"source\": {\"table\": \"df_depts\"}, \"ops\": [{\"unionByName\": {\"right\": {\"source\": {\"table\": \"df_people\"},"
                + " \"ops\": [{\"select\": [\"name AS dept\", \"id AS dept_id\"]}]}}}]}",
                "SELECT dept_id, dept FROM df_depts UNION ALL SELECT id, name FROM df_people", false);
        assertSameResult("{\"source\": {\"table\": \"df_depts\"}, \"ops\": [{\"unionByName\": {\"right\": {\"source\": {\"table\": \"df_people\"},"
                + " \"ops\": [{\"select\": [\"id AS dept_id\", \"age\"]}]}, \"allowMissingColumns\": true}}]}",
                "SELECT dept_id, dept, CAST(NULL AS INT) AS age FROM df_depts UNION ALL SELECT id, CAST(NULL AS STRING), age FROM df_people",
                false);
    }

    @Test
    void intersectAndExcept() {
        String left = "{\"source\": {\"sql\": \"SELECT * FROM VALUES (1), (1), (2), (3) AS t(x)\"}, \"ops\": [{\"OP\": {\"right\":"
                + " {\"source\": {\"sql\": \"SELECT * FROM VALUES (1), (1), (3), (4) AS t(x)\"}}}}]}";
        String l = "SELECT * FROM VALUES (1), (1), (2), (3) AS t(x) ";
        String r = " SELECT * FROM VALUES (1), (1), (3), (4) AS t(x)";
        assertSameResult(left.replace("OP", "intersect"), l + "INTERSECT" + r, false);
        assertSameResult(left.replace("OP", "intersectAll"), l + "INTERSECT ALL" + r, false);
        assertSameResult(left.replace("OP", "except"), l + "EXCEPT" + r, false);
        assertSameResult(left.replace("OP", "exceptAll"), l + "EXCEPT ALL" + r, false);
    }

    @Test
    void alias() {
        assertSameResult("{\"source\": {\"table\": \"df_depts\"}, \"ops\": [{\"alias\": \"x\"}, {\"select\": [\"x.dept\"]}]}",
                "SELECT x.dept FROM df_depts AS x", false);
    }
}
