package dev.sparkgateway.plan.dataframe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.plan.PlanException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Join;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SetOperation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relation tree a spec becomes: what the official clients send for the same DataFrame calls. */
class SpecTranslatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Relation translate(String spec) throws Exception {
        return DataFrameSpecs.toRelation(JSON.readTree(spec), "", SpecLimits.DEFAULTS);
    }

    @Test
    void operationsWrapTheSourceInOrder() throws Exception {
        Relation r = translate("{\"source\": {\"table\": \"people\"}, \"ops\": [{\"filter\": \"age > 21\"},"
                + " {\"select\": [\"name\", {\"col\": \"age\", \"as\": \"years\"}]}, {\"limit\": 5}]}");
        assertEquals(5, r.getLimit().getLimit());
        Relation project = r.getLimit().getInput();
        List<Expression> columns = project.getProject().getExpressionsList();
        assertEquals("name", columns.get(0).getExpressionString().getExpression());
        assertEquals("age", columns.get(1).getAlias().getExpr().getUnresolvedAttribute().getUnparsedIdentifier());
        assertEquals(List.of("years"), columns.get(1).getAlias().getNameList());
        Relation filter = project.getProject().getInput();
        assertEquals("age > 21", filter.getFilter().getCondition().getExpressionString().getExpression());
        assertEquals("people", filter.getFilter().getInput().getRead().getNamedTable().getUnparsedIdentifier());
    }

    @Test
    void sortKeysFollowSparkNullDefaults() throws Exception {
        Relation r = translate("{\"source\": {\"range\": 3}, \"ops\": [{\"orderBy\": [\"id DESC\", \"id\", \"id ASC NULLS LAST\","
                + " {\"expr\": \"id\", \"order\": \"desc\", \"nulls\": \"first\"}]}]}");
        List<Expression.SortOrder> order = r.getSort().getOrderList();
        assertTrue(r.getSort().getIsGlobal());
        assertEquals(Expression.SortOrder.SortDirection.SORT_DIRECTION_DESCENDING, order.get(0).getDirection());
        assertEquals(Expression.SortOrder.NullOrdering.SORT_NULLS_LAST, order.get(0).getNullOrdering());
        assertEquals("id", order.get(0).getChild().getExpressionString().getExpression());
        assertEquals(Expression.SortOrder.NullOrdering.SORT_NULLS_FIRST, order.get(1).getNullOrdering());
        assertEquals(Expression.SortOrder.NullOrdering.SORT_NULLS_LAST, order.get(2).getNullOrdering());
        assertEquals(Expression.SortOrder.NullOrdering.SORT_NULLS_FIRST, order.get(3).getNullOrdering());
    }

    @Test
    void joinsAndSetOperations() throws Exception {
        Relation join = translate("{\"source\": {\"range\": 3}, \"ops\": [{\"join\": {\"right\": {\"source\": {\"range\": 2}},"
                + " \"on\": [\"id\"], \"how\": \"LEFT_ANTI\"}}]}");
        assertEquals(Join.JoinType.JOIN_TYPE_LEFT_ANTI, join.getJoin().getJoinType());
        assertEquals(List.of("id"), join.getJoin().getUsingColumnsList());
        assertFalse(join.getJoin().hasJoinCondition());
        assertEquals(2, join.getJoin().getRight().getRange().getEnd());

        Relation union = translate("{\"source\": {\"range\": 3}, \"ops\": [{\"unionByName\": {\"right\": {\"source\": {\"range\": 2}},"
                + " \"allowMissingColumns\": true}}]}");
        SetOperation set = union.getSetOp();
        assertEquals(SetOperation.SetOpType.SET_OP_TYPE_UNION, set.getSetOpType());
        assertTrue(set.getIsAll() && set.getByName() && set.getAllowMissingColumns());

        Relation except = translate("{\"source\": {\"range\": 3}, \"ops\": [{\"except\": {\"right\": {\"source\": {\"range\": 2}}}}]}");
        assertEquals(SetOperation.SetOpType.SET_OP_TYPE_EXCEPT, except.getSetOp().getSetOpType());
        assertFalse(except.getSetOp().getIsAll());
    }

    @Test
    void aggregatesDeduplicationAndRenames() throws Exception {
        Relation r = translate("{\"source\": {\"range\": 3}, \"ops\": [{\"dropDuplicates\": [\"id\"]}, {\"distinct\": true},"
                + " {\"withColumnsRenamed\": {\"id\": \"n\"}}, {\"groupBy\": {\"by\": \"n\", \"agg\": \"count(*) AS c\"}}]}");
        assertEquals(List.of("count(*) AS c"), r.getAggregate().getAggregateExpressionsList().stream()
                .map(e -> e.getExpressionString().getExpression()).toList());
        Relation renamed = r.getAggregate().getInput();
        assertEquals("n", renamed.getWithColumnsRenamed().getRenames(0).getNewColName());
        assertTrue(renamed.getWithColumnsRenamed().getInput().getDeduplicate().getAllColumnsAsKeys());
        assertEquals(List.of("id"), renamed.getWithColumnsRenamed().getInput().getDeduplicate().getInput()
                .getDeduplicate().getColumnNamesList());
    }

    @Test
    void inlineRowsBecomeAnArrowLocalRelation() throws Exception {
        Relation r = translate("{\"source\": {\"values\": {\"schema\": \"id INT, tags ARRAY<STRING>\","
                + " \"rows\": [[1, [\"a\", null]], {\"ID\": 2}]}}}");
        assertEquals("id INT, tags ARRAY<STRING>", r.getLocalRelation().getSchema());
        try (RootAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(r.getLocalRelation().getData().toByteArray()),
                     allocator)) {
            assertTrue(reader.loadNextBatch());
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(2, root.getRowCount());
            assertEquals("[1, 2]", List.of(root.getVector("id").getObject(0), root.getVector("id").getObject(1)).toString());
            assertEquals("[\"a\",null]", root.getVector("tags").getObject(0).toString());
            assertTrue(root.getVector("tags").isNull(1));
        }
        Relation empty = translate("{\"source\": {\"values\": {\"schema\": \"id INT\", \"rows\": []}}}");
        assertFalse(empty.getLocalRelation().hasData(), "no rows: the schema alone describes the relation");
    }

    @Test
    void inlineRowsOfATypeWithoutAWriterPointAtTheSchema() {
        PlanException e = assertThrows(PlanException.class, () -> translate("{\"source\": {\"values\": {\"schema\":"
                + " \"id INT, waited ARRAY<INTERVAL DAY TO SECOND>\", \"rows\": [[1, []]]}}}"));
        assertEquals("/source/values/schema", e.pointer());
        assertTrue(e.getMessage().contains("interval day to second is not supported in inline rows"), e.getMessage());
    }

    @Test
    void sqlSourceErrorsPointIntoTheSpec() {
        PlanException e = assertThrows(PlanException.class, () -> translate("{\"source\": {\"sql\": {\"query\": \"SELECT :x\","
                + " \"parameters\": {\"x\": {\"value\": 1, \"type\": \"NOPE\"}}}}}"));
        assertEquals("/source/sql/parameters/x/type", e.pointer());
        PlanException nested = assertThrows(PlanException.class, () -> DataFrameSpecs.toRelation(
                JSON.readTree("{\"source\": {\"range\": 1}, \"ops\": [{\"limit\": \"x\"}]}"), "/dataframe", SpecLimits.DEFAULTS));
        assertEquals("/dataframe/ops/0/limit", nested.pointer());
    }

    @Test
    void limitsAreConfigurable() {
        SpecLimits tight = new SpecLimits(2, 3, 1);
        assertThrows(PlanException.class, () -> DataFrameSpecs.toRelation(JSON.readTree(
                "{\"source\": {\"range\": 1}, \"ops\": [{\"limit\": 1}, {\"limit\": 1}, {\"limit\": 1}]}"), "", tight));
        PlanException deep = assertThrows(PlanException.class, () -> DataFrameSpecs.toRelation(JSON.readTree(
                "{\"source\": {\"range\": 1}, \"ops\": [{\"union\": {\"right\": {\"source\": {\"range\": 1}, \"ops\": [{\"union\":"
                        + " {\"right\": {\"source\": {\"range\": 1}}}}]}}}]}"), "", new SpecLimits(2, 100, 1)));
        assertEquals("/ops/0/union/right/ops/0/union/right", deep.pointer());
    }
}
