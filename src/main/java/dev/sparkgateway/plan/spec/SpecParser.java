package dev.sparkgateway.plan.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.plan.PlanException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    // "age DESC NULLS LAST", as in SQL's ORDER BY
    private static final Pattern SORT_SUFFIX = Pattern.compile(
            "^(.*?)(?:\\s+(ASC|DESC))?(?:\\s+NULLS\\s+(FIRST|LAST))?\\s*$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

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
                return range(value);
            case "values":
                return values(value);
            default:
                return read(value);
        }
    }

    private static Source range(At at) {
        if (at.node().isNumber()) {
            return new Source.Range(OptionalLong.empty(), at.integer("the range end", Long.MIN_VALUE, Long.MAX_VALUE),
                    1, OptionalInt.empty());
        }
        at.object("a range {\"start\", \"end\", \"step\", \"numPartitions\"}", Set.of("start", "end", "step", "numPartitions"));
        At start = at.child("start");
        At step = at.child("step");
        At partitions = at.child("numPartitions");
        long stepValue = step.isMissing() ? 1 : step.integer("step", Long.MIN_VALUE, Long.MAX_VALUE);
        if (stepValue == 0) {
            throw step.error("step cannot be 0");
        }
        return new Source.Range(
                start.isMissing() ? OptionalLong.empty() : OptionalLong.of(start.integer("start", Long.MIN_VALUE, Long.MAX_VALUE)),
                at.child("end").integer("end", Long.MIN_VALUE, Long.MAX_VALUE), stepValue,
                partitions.isMissing() ? OptionalInt.empty() : OptionalInt.of((int) partitions.integer("numPartitions", 1, 100_000)));
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

    private static Source read(At at) {
        at.object("a file read {\"format\", \"path\" or \"paths\", \"options\", \"schema\"}",
                Set.of("format", "path", "paths", "options", "schema"));
        At path = at.child("path");
        At paths = at.child("paths");
        List<String> all;
        if (!path.isMissing() && !paths.isMissing()) {
            throw paths.error("give either path or paths, not both");
        } else if (!path.isMissing()) {
            all = List.of(path.text("the path"));
        } else if (!paths.isMissing()) {
            all = paths.texts("paths");
        } else {
            throw at.error("missing path (or paths) to read");
        }
        return new Source.Read(at.child("format").text("the format (parquet, json, csv, orc...)").toLowerCase(Locale.ROOT),
                all, at.child("options").stringMap("options", false), at.child("schema").optionalText("the schema"));
    }

    // ---- operations

    private Op op(At at, int depth) {
        count(at);
        Map.Entry<String, At> one = single(at, "an operation", OPERATIONS);
        At value = one.getValue();
        switch (one.getKey()) {
            case "select":
                return new Op.Select(columns(value, "select"));
            case "filter":
            case "where":
                return new Op.Filter(value.text("a condition (SQL expression)"));
            case "withColumn": {
                value.object("withColumn {\"name\": ..., \"expr\": ...}", Set.of("name", "expr"));
                return new Op.WithColumns(Map.of(value.child("name").text("the column name"),
                        value.child("expr").text("the column's SQL expression")));
            }
            case "withColumns":
                return new Op.WithColumns(value.stringMap("withColumns (name → SQL expression)", true));
            case "withColumnRenamed": {
                value.object("withColumnRenamed {\"from\": ..., \"to\": ...}", Set.of("from", "to"));
                return new Op.WithColumnsRenamed(Map.of(value.child("from").text("the column to rename"),
                        value.child("to").text("the new name")));
            }
            case "withColumnsRenamed":
                return new Op.WithColumnsRenamed(value.stringMap("withColumnsRenamed (old name → new name)", true));
            case "drop":
                return new Op.Drop(value.texts("columns to drop"));
            case "groupBy": {
                value.object("groupBy {\"by\": [...], \"agg\": [...]}", Set.of("by", "agg"));
                return new Op.Aggregate(columns(value.child("by"), "grouping columns"),
                        columns(value.child("agg"), "aggregate expressions"));
            }
            case "agg":
                return new Op.Aggregate(List.of(), columns(value, "aggregate expressions"));
            case "orderBy":
            case "sort":
                return new Op.OrderBy(sortKeys(value));
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

    /** One column, or a non-empty array: SQL expression strings or {"col"|"expr": ..., "as": ...}. */
    private static List<Op.Column> columns(At at, String what) {
        if (at.node().isTextual() || at.node().isObject()) {
            return List.of(column(at, what));
        }
        List<Op.Column> columns = new ArrayList<>();
        for (At item : at.array(what, true)) {
            columns.add(column(item, what));
        }
        return columns;
    }

    private static Op.Column column(At at, String what) {
        if (at.node().isTextual()) {
            return Op.Column.expr(at.text("a SQL expression"));
        }
        if (!at.node().isObject()) {
            throw at.error("expected an entry of " + what + " as a SQL expression string or {\"col\"|\"expr\": ..., \"as\": ...},"
                    + " got " + At.describe(at.node()));
        }
        at.object("a column {\"col\" or \"expr\", \"as\"}", Set.of("col", "expr", "as"));
        At col = at.child("col");
        At expr = at.child("expr");
        if (col.isMissing() == expr.isMissing()) {
            throw at.error("give exactly one of col (a column name) or expr (a SQL expression)");
        }
        Optional<String> alias = at.child("as").optionalText("the alias");
        return col.isMissing() ? new Op.Column(expr.text("the expression"), false, alias)
                : new Op.Column(col.text("the column name"), true, alias);
    }

    private static List<Op.SortKey> sortKeys(At at) {
        List<At> items = at.node().isArray() ? at.array("sort columns", true) : List.of(at);
        List<Op.SortKey> keys = new ArrayList<>();
        for (At item : items) {
            keys.add(sortKey(item));
        }
        return keys;
    }

    private static Op.SortKey sortKey(At at) {
        if (at.node().isTextual()) {
            Matcher m = SORT_SUFFIX.matcher(at.text("a sort expression"));
            if (!m.matches() || m.group(1).isBlank()) {
                throw at.error("expected a sort expression like \"age DESC NULLS LAST\"");
            }
            return new Op.SortKey(Op.Column.expr(m.group(1).trim()), "DESC".equalsIgnoreCase(m.group(2)),
                    m.group(3) == null ? Optional.empty() : Optional.of(m.group(3).equalsIgnoreCase("FIRST")));
        }
        at.object("a sort key {\"col\" or \"expr\", \"order\", \"nulls\"}", Set.of("col", "expr", "order", "nulls"));
        At col = at.child("col");
        At expr = at.child("expr");
        if (col.isMissing() == expr.isMissing()) {
            throw at.error("give exactly one of col (a column name) or expr (a SQL expression)");
        }
        Op.Column column = col.isMissing() ? Op.Column.expr(expr.text("the expression"))
                : new Op.Column(col.text("the column name"), true, Optional.empty());
        At order = at.child("order");
        boolean descending = false;
        if (!order.isMissing()) {
            String value = order.text("the order").toLowerCase(Locale.ROOT);
            if (!value.equals("asc") && !value.equals("desc")) {
                throw order.error("expected order \"asc\" or \"desc\", got '" + order.node().textValue() + "'");
            }
            descending = value.equals("desc");
        }
        At nulls = at.child("nulls");
        Optional<Boolean> nullsFirst = Optional.empty();
        if (!nulls.isMissing()) {
            String value = nulls.text("the null ordering").toLowerCase(Locale.ROOT);
            if (!value.equals("first") && !value.equals("last")) {
                throw nulls.error("expected nulls \"first\" or \"last\", got '" + nulls.node().textValue() + "'");
            }
            nullsFirst = Optional.of(value.equals("first"));
        }
        return new Op.SortKey(column, descending, nullsFirst);
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
