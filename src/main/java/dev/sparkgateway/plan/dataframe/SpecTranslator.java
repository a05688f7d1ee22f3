package dev.sparkgateway.plan.dataframe;

import dev.sparkgateway.types.DataTypes;
import dev.sparkgateway.plan.PlanException;
import dev.sparkgateway.plan.SqlPlans;
import org.apache.spark.connect.proto.Aggregate;
import org.apache.spark.connect.proto.DataType;
import org.apache.spark.connect.proto.Deduplicate;
import org.apache.spark.connect.proto.Drop;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Filter;
import org.apache.spark.connect.proto.Join;
import org.apache.spark.connect.proto.Limit;
import org.apache.spark.connect.proto.LocalRelation;
import org.apache.spark.connect.proto.Offset;
import org.apache.spark.connect.proto.Project;
import org.apache.spark.connect.proto.Range;
import org.apache.spark.connect.proto.Read;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SetOperation;
import org.apache.spark.connect.proto.Sort;
import org.apache.spark.connect.proto.SubqueryAlias;
import org.apache.spark.connect.proto.WithColumns;
import org.apache.spark.connect.proto.WithColumnsRenamed;

import java.util.List;
import java.util.Map;

/**
 * {@link DataFrameSpec} → Spark Connect {@link Relation}, node for node what the official clients
 * build for the same DataFrame calls. Expressions travel as Spark Connect expression strings, which
 * the server parses exactly like {@code functions.expr} / {@code selectExpr}.
 */
public final class SpecTranslator {

    private SpecTranslator() {
    }

    public static Relation toRelation(DataFrameSpec spec) {
        Relation relation = source(spec.source());
        for (Op op : spec.ops()) {
            relation = apply(relation, op);
        }
        return relation;
    }

    private static Relation source(Source source) {
        if (source instanceof Source.Table table) {
            return Relation.newBuilder().setRead(Read.newBuilder().setNamedTable(Read.NamedTable.newBuilder()
                    .setUnparsedIdentifier(table.name()).putAllOptions(table.options()))).build();
        }
        if (source instanceof Source.Sql sql) {
            boolean plain = sql.parameters() == null;
            return SqlPlans.sql(sql.query(), plain ? sql.at() : sql.at() + "/query", sql.parameters(), sql.at() + "/parameters");
        }
        if (source instanceof Source.Range range) {
            Range.Builder proto = Range.newBuilder().setEnd(range.end()).setStep(range.step());
            range.start().ifPresent(proto::setStart);
            range.numPartitions().ifPresent(proto::setNumPartitions);
            return Relation.newBuilder().setRange(proto).build();
        }
        if (source instanceof Source.Values values) {
            return Relation.newBuilder().setLocalRelation(localRelation(values)).build();
        }
        Source.Read read = (Source.Read) source;
        Read.DataSource.Builder data = Read.DataSource.newBuilder().setFormat(read.format())
                .putAllOptions(read.options()).addAllPaths(read.paths());
        read.schema().ifPresent(data::setSchema);
        return Relation.newBuilder().setRead(Read.newBuilder().setDataSource(data)).build();
    }

    private static LocalRelation localRelation(Source.Values values) {
        String schemaAt = values.at().substring(0, values.at().lastIndexOf('/')) + "/schema";
        DataType struct;
        try {
            struct = DataTypes.parseSchema(values.schema());
        } catch (IllegalArgumentException e) {
            throw new PlanException(schemaAt, e.getMessage());
        }
        LocalRelation.Builder local = LocalRelation.newBuilder().setSchema(values.schema());
        if (!values.rows().isEmpty()) {
            try {
                local.setData(LocalRows.toArrow(struct, values.rows(), values.at()));
            } catch (IllegalArgumentException e) {
                throw new PlanException(schemaAt, e.getMessage());
            }
        }
        return local.build();
    }

    private static Relation apply(Relation input, Op op) {
        Relation.Builder out = Relation.newBuilder();
        if (op instanceof Op.Select select) {
            return out.setProject(Project.newBuilder().setInput(input).addAllExpressions(expressions(select.columns()))).build();
        }
        if (op instanceof Op.Filter filter) {
            return out.setFilter(Filter.newBuilder().setInput(input).setCondition(expression(filter.condition()))).build();
        }
        if (op instanceof Op.WithColumns with) {
            WithColumns.Builder proto = WithColumns.newBuilder().setInput(input);
            for (Map.Entry<String, String> column : with.columns().entrySet()) {
                proto.addAliases(Expression.Alias.newBuilder().setExpr(expression(column.getValue())).addName(column.getKey()));
            }
            return out.setWithColumns(proto).build();
        }
        if (op instanceof Op.WithColumnsRenamed renamed) {
            WithColumnsRenamed.Builder proto = WithColumnsRenamed.newBuilder().setInput(input);
            renamed.renames().forEach((from, to) -> proto.addRenames(
                    WithColumnsRenamed.Rename.newBuilder().setColName(from).setNewColName(to)));
            return out.setWithColumnsRenamed(proto).build();
        }
        if (op instanceof Op.Drop drop) {
            return out.setDrop(Drop.newBuilder().setInput(input).addAllColumnNames(drop.columns())).build();
        }
        if (op instanceof Op.Aggregate aggregate) {
            return out.setAggregate(Aggregate.newBuilder().setInput(input).setGroupType(Aggregate.GroupType.GROUP_TYPE_GROUPBY)
                    .addAllGroupingExpressions(expressions(aggregate.by()))
                    .addAllAggregateExpressions(expressions(aggregate.agg()))).build();
        }
        if (op instanceof Op.OrderBy orderBy) {
            Sort.Builder sort = Sort.newBuilder().setInput(input).setIsGlobal(true);
            for (Op.SortKey key : orderBy.keys()) {
                // Spark's defaults: ascending puts nulls first, descending puts them last.
                boolean nullsFirst = key.nullsFirst().orElse(!key.descending());
                sort.addOrder(Expression.SortOrder.newBuilder().setChild(expression(key.column()))
                        .setDirection(key.descending() ? Expression.SortOrder.SortDirection.SORT_DIRECTION_DESCENDING
                                : Expression.SortOrder.SortDirection.SORT_DIRECTION_ASCENDING)
                        .setNullOrdering(nullsFirst ? Expression.SortOrder.NullOrdering.SORT_NULLS_FIRST
                                : Expression.SortOrder.NullOrdering.SORT_NULLS_LAST));
            }
            return out.setSort(sort).build();
        }
        if (op instanceof Op.Limit limit) {
            return out.setLimit(Limit.newBuilder().setInput(input).setLimit(limit.rows())).build();
        }
        if (op instanceof Op.Offset offset) {
            return out.setOffset(Offset.newBuilder().setInput(input).setOffset(offset.rows())).build();
        }
        if (op instanceof Op.Deduplicate dedup) {
            Deduplicate.Builder proto = Deduplicate.newBuilder().setInput(input);
            if (dedup.columns().isEmpty()) {
                proto.setAllColumnsAsKeys(true);
            } else {
                proto.addAllColumnNames(dedup.columns());
            }
            return out.setDeduplicate(proto).build();
        }
        if (op instanceof Op.Join join) {
            Join.Builder proto = Join.newBuilder().setLeft(input).setRight(toRelation(join.right()))
                    .setJoinType(joinType(join.how())).addAllUsingColumns(join.using());
            join.on().ifPresent(on -> proto.setJoinCondition(expression(on)));
            return out.setJoin(proto).build();
        }
        if (op instanceof Op.SetOp set) {
            return out.setSetOp(SetOperation.newBuilder().setLeftInput(input).setRightInput(toRelation(set.right()))
                    .setSetOpType(setOpType(set.kind())).setIsAll(set.all()).setByName(set.byName())
                    .setAllowMissingColumns(set.allowMissingColumns())).build();
        }
        Op.Alias alias = (Op.Alias) op;
        return out.setSubqueryAlias(SubqueryAlias.newBuilder().setInput(input).setAlias(alias.name())).build();
    }

    private static List<Expression> expressions(List<Op.Column> columns) {
        return columns.stream().map(SpecTranslator::expression).toList();
    }

    private static Expression expression(Op.Column column) {
        Expression base = column.isName()
                ? Expression.newBuilder().setUnresolvedAttribute(Expression.UnresolvedAttribute.newBuilder()
                        .setUnparsedIdentifier(column.text())).build()
                : expression(column.text());
        return column.alias().map(alias -> Expression.newBuilder().setAlias(
                Expression.Alias.newBuilder().setExpr(base).addName(alias)).build()).orElse(base);
    }

    private static Expression expression(String sql) {
        return Expression.newBuilder().setExpressionString(Expression.ExpressionString.newBuilder().setExpression(sql)).build();
    }

    private static Join.JoinType joinType(Op.JoinType type) {
        switch (type) {
            case LEFT: return Join.JoinType.JOIN_TYPE_LEFT_OUTER;
            case RIGHT: return Join.JoinType.JOIN_TYPE_RIGHT_OUTER;
            case FULL: return Join.JoinType.JOIN_TYPE_FULL_OUTER;
            case SEMI: return Join.JoinType.JOIN_TYPE_LEFT_SEMI;
            case ANTI: return Join.JoinType.JOIN_TYPE_LEFT_ANTI;
            case CROSS: return Join.JoinType.JOIN_TYPE_CROSS;
            default: return Join.JoinType.JOIN_TYPE_INNER;
        }
    }

    private static SetOperation.SetOpType setOpType(Op.SetOp.Kind kind) {
        switch (kind) {
            case INTERSECT: return SetOperation.SetOpType.SET_OP_TYPE_INTERSECT;
            case EXCEPT: return SetOperation.SetOpType.SET_OP_TYPE_EXCEPT;
            default: return SetOperation.SetOpType.SET_OP_TYPE_UNION;
        }
    }
}
