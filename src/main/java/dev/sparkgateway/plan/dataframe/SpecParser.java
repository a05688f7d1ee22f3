package dev.sparkgateway.plan.dataframe;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a JSON DataFrame spec into {@link DataFrameSpec}, checking everything that can be checked
 * without Spark; every error names its location as a JSON Pointer. Column names and expressions
 * are left to Spark's analyzer, which reports them with its own error classes.
 */
public final class SpecParser {

    static final Set<String> SPEC_FIELDS = Set.of("source", "ops");
    static final Set<String> SOURCES = Set.of("table", "sql", "range", "values", "read");
    static final Set<String> OPERATIONS = Set.of("select", "filter", "where", "withColumn", "withColumns",
            "withColumnRenamed", "withColumnsRenamed", "drop", "groupBy", "agg", "orderBy", "sort", "limit", "offset",
            "distinct", "dropDuplicates", "join", "union", "unionAll", "unionByName", "intersect", "intersectAll",
            "except", "exceptAll", "alias");
    private static final Map<String, Op.JoinType> JOIN_TYPES = joinTypes();

    private final SpecLimits limits;
    private int operations;
    private int inlineRows;

    private SpecParser(SpecLimits limits) {
        this.limits = limits;
    }

    /** Parses the spec found at {@code pointer} ("" for a whole request body, "/dataframe" inside one). */
    public static DataFrameSpec parse(JsonNode json, String pointer, SpecLimits limits) {
        return new SpecParser(limits).spec(new At(json, pointer), 1);
    }

    private DataFrameSpec spec(At at, int depth) {
        if (depth > limits.maxDepth()) {
            throw at.error("specs nest " + depth + " deep here; the limit is " + limits.maxDepth()
                    + " (gateway.dataframe.max-depth)");
        }
        at.object("a DataFrame spec {\"source\": ..., \"ops\": [...]}", SPEC_FIELDS);
        Source source = source(at.child("source"));
        List<Op> ops = new ArrayList<>();
        At list = at.child("ops");
        if (!list.isMissing()) {
            for (At op : list.array("ops", false)) {
                ops.add(op(op, depth));
            }
        }
        return new DataFrameSpec(source, ops);
    }

    private void count(At at) {
        if (++operations > limits.maxOperations()) {
            throw at.error("the spec has more than " + limits.maxOperations()
                    + " sources and operations (gateway.dataframe.max-operations)");
        }
    }

    // ---- sources

    private Source source(At at) {
        count(at);
        Map.Entry<String, At> one = single(at, "a source", SOURCES);
        String kind = one.getKey();
        At value = one.getValue();
        switch (kind) {
            case "table":
                if (value.node().isTextual()) {
                    return new Source.Table(value.text("a table name"), Map.of());
                }
                value.object("a table {\"name\": ..., \"options\": {...}}", Set.of("name", "options"));
                return new Source.Table(value.child("name").text("the table name"),
                        value.child("options").stringMap("options", false));
            case "sql":
                if (value.node().isTextual()) {
                    return new Source.Sql(value.text("the SQL query"), null, value.pointer());
                }
                value.object("a SQL source {\"query\": ..., \"parameters\": ...}", Set.of("query", "parameters"));
                At parameters = value.child("parameters");
                return new Source.Sql(value.child("query").text("the SQL query"),
                        parameters.isMissing() ? null : parameters.node(), value.pointer());
            case "range":
                return SourceSpecs.range(value);
            case "values":
                return values(value);
            default:
                return SourceSpecs.read(value);
        }
    }

    private Source values(At at) {
        at.object("inline rows {\"schema\": \"id INT, name STRING\", \"rows\": [...]}", Set.of("schema", "rows"));
        String schema = at.child("schema").text("the schema (DDL, e.g. \"id INT, name STRING\")");
        At rows = at.child("rows");
        List<JsonNode> list = new ArrayList<>();
        for (At row : rows.array("rows", false)) {
            if (!row.node().isArray() && !row.node().isObject()) {
                throw row.error("expected a row as an array of values or an object of column → value, got "
                        + At.describe(row.node()));
            }
            list.add(row.node());
        }
        inlineRows += list.size();
        if (inlineRows > limits.maxInlineRows()) {
            throw rows.error("more than " + limits.maxInlineRows() + " inline rows (gateway.dataframe.max-inline-rows);"
                    + " write them to a table or file and read that instead");
        }
        return new Source.Values(schema, list, rows.pointer());
    }

    // ---- operations

    private Op op(At at, int depth) {
        count(at);
        Map.Entry<String, At> one = single(at, "an operation", OPERATIONS);
        At value = one.getValue();
        switch (one.getKey()) {
            case "select":
                return new Op.Select(ColumnSpecs.columns(value, "select"));
            case "filter":
            case "where":
                return new Op.Filter(value.text("a condition (SQL expression)"));
            case "withColumn":
                return new Op.WithColumns(entry(value, "withColumn", "name", "the column name", "expr",
                        "the column's SQL expression"));
            case "withColumns":
                return new Op.WithColumns(value.stringMap("withColumns (name → SQL expression)", true));
            case "withColumnRenamed":
                return new Op.WithColumnsRenamed(entry(value, "withColumnRenamed", "from", "the column to rename", "to",
                        "the new name"));
            case "withColumnsRenamed":
                return new Op.WithColumnsRenamed(value.stringMap("withColumnsRenamed (old name → new name)", true));
            case "drop":
                return new Op.Drop(value.texts("columns to drop"));
            case "groupBy": {
                value.object("groupBy {\"by\": [...], \"agg\": [...]}", Set.of("by", "agg"));
                return new Op.Aggregate(ColumnSpecs.columns(value.child("by"), "grouping columns"),
                        ColumnSpecs.columns(value.child("agg"), "aggregate expressions"));
            }
            case "agg":
                return new Op.Aggregate(List.of(), ColumnSpecs.columns(value, "aggregate expressions"));
            case "orderBy":
            case "sort":
                return new Op.OrderBy(ColumnSpecs.sortKeys(value));
            case "limit":
                return new Op.Limit((int) value.integer("the row count", 0, Integer.MAX_VALUE));
            case "offset":
                return new Op.Offset((int) value.integer("the row count", 0, Integer.MAX_VALUE));
            case "distinct":
                if (!value.node().isBoolean() || !value.node().booleanValue()) {
                    throw value.error("expected \"distinct\": true");
                }
                return new Op.Deduplicate(List.of());
            case "dropDuplicates":
                if (value.node().isBoolean() && value.node().booleanValue()) {
                    return new Op.Deduplicate(List.of());
                }
                return new Op.Deduplicate(value.node().isArray() && value.node().isEmpty()
                        ? List.of() : value.texts("columns to compare (or true for all)"));
            case "join":
                return join(value, depth);
            case "alias":
                return new Op.Alias(value.text("an alias"));
            default:
                return setOp(one.getKey(), value, depth);
        }
    }

    /** The singular form of a map-taking op, {"<key>": ..., "<value>": ...}, as that map's one entry. */
    private static Map<String, String> entry(At at, String op, String key, String keyWhat, String value, String valueWhat) {
        at.object(op + " {\"" + key + "\": ..., \"" + value + "\": ...}", Set.of(key, value));
        return Map.of(at.child(key).text(keyWhat), at.child(value).text(valueWhat));
    }

    private Op join(At at, int depth) {
        at.object("join {\"right\": {spec}, \"on\": ..., \"how\": ...}", Set.of("right", "on", "how"));
        At how = at.child("how");
        Op.JoinType type = Op.JoinType.INNER;
        if (!how.isMissing()) {
            String name = how.text("the join type");
            type = JOIN_TYPES.get(name.toLowerCase(Locale.ROOT).replace("_", ""));
            if (type == null) {
                throw how.error("unknown join type '" + name + "'; expected one of inner, left, right, full, semi, anti, cross"
                        + " (or Spark's aliases: left_outer, right_outer, outer, full_outer, left_semi, left_anti)");
            }
        }
        At on = at.child("on");
        Optional<String> condition = Optional.empty();
        List<String> using = List.of();
        if (on.isMissing()) {
            if (type != Op.JoinType.CROSS) {
                throw on.error("missing on: a SQL condition (\"l.id = r.id\") or the columns both sides share ([\"id\"]);"
                        + " use \"how\": \"cross\" for a cross join");
            }
        } else if (type == Op.JoinType.CROSS) {
            throw on.error("a cross join has no on; use \"how\": \"inner\" to join on a condition");
        } else if (on.node().isTextual()) {
            condition = Optional.of(on.text("the join condition"));
        } else if (on.node().isArray()) {
            using = on.texts("the join columns");
        } else {
            throw on.error("expected on as a SQL condition (string) or column names (array), got " + At.describe(on.node()));
        }
        DataFrameSpec right = spec(at.child("right"), depth + 1);
        return new Op.Join(right, type, condition, using);
    }

    private Op setOp(String name, At at, int depth) {
        boolean byName = name.equals("unionByName");
        at.object(name + " {\"right\": {spec}" + (byName ? ", \"allowMissingColumns\": bool}" : "}"),
                byName ? Set.of("right", "allowMissingColumns") : Set.of("right"));
        DataFrameSpec right = spec(at.child("right"), depth + 1);
        switch (name) {
            case "union":
            case "unionAll":
                return new Op.SetOp(Op.SetOp.Kind.UNION, right, true, false, false);
            case "unionByName":
                return new Op.SetOp(Op.SetOp.Kind.UNION, right, true, true, at.child("allowMissingColumns").bool("allowMissingColumns"));
            case "intersect":
                return new Op.SetOp(Op.SetOp.Kind.INTERSECT, right, false, false, false);
            case "intersectAll":
                return new Op.SetOp(Op.SetOp.Kind.INTERSECT, right, true, false, false);
            case "except":
                return new Op.SetOp(Op.SetOp.Kind.EXCEPT, right, false, false, false);
            default:
                return new Op.SetOp(Op.SetOp.Kind.EXCEPT, right, true, false, false);
        }
    }

    /** An object with exactly one key from {@code known}, like {"filter": "..."}. */
    private static Map.Entry<String, At> single(At at, String what, Set<String> known) {
        if (at.isMissing()) {
            throw at.error("missing " + what + "; expected one of " + At.sorted(known));
        }
        if (!at.node().isObject()) {
            throw at.error("expected " + what + " as an object with one key (" + At.sorted(known) + "), got "
                    + At.describe(at.node()));
        }
        if (at.node().size() != 1) {
            throw at.error("expected " + what + " as an object with exactly one key, got "
                    + (at.node().isEmpty() ? "none" : at.node().size() + ": " + String.join(", ", names(at.node()))));
        }
        String name = at.node().fieldNames().next();
        if (!known.contains(name)) {
            throw at.child(name).error("unknown " + (what.startsWith("an ") ? what.substring(3) : what.substring(2))
                    + " '" + name + "'; expected one of " + At.sorted(known));
        }
        return Map.entry(name, at.child(name));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static Map<String, Op.JoinType> joinTypes() {
        Map<String, Op.JoinType> types = new LinkedHashMap<>();
        types.put("inner", Op.JoinType.INNER);
        types.put("left", Op.JoinType.LEFT);
        types.put("leftouter", Op.JoinType.LEFT);
        types.put("right", Op.JoinType.RIGHT);
        types.put("rightouter", Op.JoinType.RIGHT);
        types.put("full", Op.JoinType.FULL);
        types.put("outer", Op.JoinType.FULL);
        types.put("fullouter", Op.JoinType.FULL);
        types.put("semi", Op.JoinType.SEMI);
        types.put("leftsemi", Op.JoinType.SEMI);
        types.put("anti", Op.JoinType.ANTI);
        types.put("leftanti", Op.JoinType.ANTI);
        types.put("cross", Op.JoinType.CROSS);
        return Map.copyOf(types);
    }
}
