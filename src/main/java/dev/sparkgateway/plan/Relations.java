package dev.sparkgateway.plan;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Finds the {@code SQL} relations inside a plan tree of any shape. They matter because Spark runs
 * a SQL command (DDL, DML, SET...) the moment it plans it, even when only asked for a schema.
 */
public final class Relations {

    private Relations() {
    }

    /** {@code relation} with every SQL node (outermost first, not descended into) replaced by {@code replace}. */
    public static Relation replaceSql(Relation relation, UnaryOperator<Relation> replace) {
        return (Relation) rewrite(relation, replace);
    }

    /**
     * The SQL node as a subquery, {@code SELECT * FROM (<query>)}: same columns for a query, a parse
     * error for a command, so analysing it can never run a command.
     */
    public static Relation asSubquery(Relation sqlNode) {
        String query = sqlNode.getSql().getQuery().strip();
        while (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1).strip();
        }
        SQL wrapped = sqlNode.getSql().toBuilder().setQuery("SELECT * FROM (\n" + query + "\n)").build();
        return sqlNode.toBuilder().setSql(wrapped).build();
    }

    private static Message rewrite(Message message, UnaryOperator<Relation> replace) {
        if (message instanceof Relation relation && relation.hasSql()) {
            return replace.apply(relation);
        }
        Message.Builder builder = null;
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isMapField()) {
                continue;
            }
            if (field.isRepeated()) {
                List<?> values = (List<?>) entry.getValue();
                for (int i = 0; i < values.size(); i++) {
                    Message child = (Message) values.get(i);
                    Message rewritten = rewrite(child, replace);
                    if (rewritten != child) {
                        builder = builder == null ? message.toBuilder() : builder;
                        builder.setRepeatedField(field, i, rewritten);
                    }
                }
            } else {
                Message child = (Message) entry.getValue();
                Message rewritten = rewrite(child, replace);
                if (rewritten != child) {
                    builder = builder == null ? message.toBuilder() : builder;
                    builder.setField(field, rewritten);
                }
            }
        }
        return builder == null ? message : builder.build();
    }
}
