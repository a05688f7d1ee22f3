package dev.sparkgateway.plan.dataframe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The column lists and sort keys inside a DataFrame spec's operations. */
final class ColumnSpecs {

    // "age DESC NULLS LAST", as in SQL's ORDER BY
    private static final Pattern SORT_SUFFIX = Pattern.compile(
            "^(.*?)(?:\\s+(ASC|DESC))?(?:\\s+NULLS\\s+(FIRST|LAST))?\\s*$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private ColumnSpecs() {
    }

    /** One column, or a non-empty array: SQL expression strings or {"col"|"expr": ..., "as": ...}. */
    static List<Op.Column> columns(At at, String what) {
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
        Op.Column column = colOrExpr(at);
        return new Op.Column(column.text(), column.isName(), at.child("as").optionalText("the alias"));
    }

    /** {"col": name} or {"expr": sql}, exactly one of them. */
    private static Op.Column colOrExpr(At at) {
        At col = at.child("col");
        At expr = at.child("expr");
        if (col.isMissing() == expr.isMissing()) {
            throw at.error("give exactly one of col (a column name) or expr (a SQL expression)");
        }
        return col.isMissing() ? Op.Column.expr(expr.text("the expression"))
                : new Op.Column(col.text("the column name"), true, Optional.empty());
    }

    static List<Op.SortKey> sortKeys(At at) {
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
        Op.Column column = colOrExpr(at);
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
}
