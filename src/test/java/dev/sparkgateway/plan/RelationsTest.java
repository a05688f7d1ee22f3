package dev.sparkgateway.plan;

import org.apache.spark.connect.proto.Join;
import org.apache.spark.connect.proto.Range;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelationsTest {

    private static Relation sql(String query) {
        return Relation.newBuilder().setSql(SQL.newBuilder().setQuery(query)).build();
    }

    private static int sqlNodes(Relation relation) {
        int[] count = {0};
        Relations.replaceSql(relation, sql -> {
            count[0]++;
            return sql;
        });
        return count[0];
    }

    @Test
    void findsAndReplacesSqlNodesAnywhereInTheTree() {
        Relation range = Relation.newBuilder().setRange(Range.newBuilder().setEnd(3)).build();
        Relation tree = Relation.newBuilder().setJoin(Join.newBuilder().setLeft(sql("SELECT 1"))
                .setRight(Relation.newBuilder().setLimit(org.apache.spark.connect.proto.Limit.newBuilder()
                        .setInput(sql("SELECT 2")).setLimit(1)))).build();
        List<String> seen = new ArrayList<>();
        Relation replaced = Relations.replaceSql(tree, s -> {
            seen.add(s.getSql().getQuery());
            return range;
        });
        assertEquals(List.of("SELECT 1", "SELECT 2"), seen);
        assertEquals(range, replaced.getJoin().getLeft());
        assertEquals(range, replaced.getJoin().getRight().getLimit().getInput());
        assertTrue(sqlNodes(tree) > 0);
        assertFalse(sqlNodes(replaced) > 0);
        assertSame(range, Relations.replaceSql(range, s -> sql("never")), "a tree without SQL is returned as it is");
    }

    @Test
    void subqueryFormStripsTrailingSemicolonsAndKeepsParameters() {
        Relation node = Relation.newBuilder().setSql(SQL.newBuilder().setQuery(" SELECT :a ;; ")
                .putNamedArguments("a", org.apache.spark.connect.proto.Expression.getDefaultInstance())).build();
        Relation wrapped = Relations.asSubquery(node);
        assertEquals("SELECT * FROM (\nSELECT :a\n)", wrapped.getSql().getQuery());
        assertTrue(wrapped.getSql().containsNamedArguments("a"));
    }
}
