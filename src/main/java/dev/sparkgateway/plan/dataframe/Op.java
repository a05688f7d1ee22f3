package dev.sparkgateway.plan.dataframe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One DataFrame operation; each record mirrors the DataFrame method of the same name. */
public sealed interface Op {

    record Select(List<Column> columns) implements Op {
        public Select {
            columns = List.copyOf(columns);
        }
    }

    /** {@code filter} and {@code where}: a SQL boolean expression. */
    record Filter(String condition) implements Op {
        public Filter {
            Objects.requireNonNull(condition, "condition is null");
        }
    }

    /** {@code withColumn} and {@code withColumns}: name → SQL expression, in order. */
    record WithColumns(Map<String, String> columns) implements Op {
        public WithColumns {
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }
    }

    /** {@code withColumnRenamed} and {@code withColumnsRenamed}: old name → new name. */
    record WithColumnsRenamed(Map<String, String> renames) implements Op {
        public WithColumnsRenamed {
            renames = Collections.unmodifiableMap(new LinkedHashMap<>(renames));
        }
    }

    record Drop(List<String> columns) implements Op {
        public Drop {
            columns = List.copyOf(columns);
        }
    }

    /** {@code groupBy(by).agg(agg)}; an empty {@code by} is {@code df.agg(...)} over all rows. */
    record Aggregate(List<Column> by, List<Column> agg) implements Op {
        public Aggregate {
            by = List.copyOf(by);
            agg = List.copyOf(agg);
        }
    }

    /** {@code orderBy} and {@code sort}. */
    record OrderBy(List<SortKey> keys) implements Op {
        public OrderBy {
            keys = List.copyOf(keys);
        }
    }

    record Limit(int rows) implements Op {
    }

    record Offset(int rows) implements Op {
    }

    /** {@code distinct()}, and {@code dropDuplicates(columns)}; no columns means all of them. */
    record Deduplicate(List<String> columns) implements Op {
        public Deduplicate {
            columns = List.copyOf(columns);
        }
    }

    /** A join on a SQL condition, on same-named columns ({@code using}), or a cross join (neither). */
    record Join(DataFrameSpec right, JoinType how, Optional<String> on, List<String> using) implements Op {
        public Join {
            Objects.requireNonNull(right, "right is null");
            Objects.requireNonNull(how, "how is null");
            Objects.requireNonNull(on, "on is null");
            using = List.copyOf(using);
        }
    }

    /** union/unionAll (keep duplicates, like the DataFrame methods), unionByName, intersect[All], except[All]. */
    record SetOp(Kind kind, DataFrameSpec right, boolean all, boolean byName, boolean allowMissingColumns) implements Op {
        public SetOp {
            Objects.requireNonNull(kind, "kind is null");
            Objects.requireNonNull(right, "right is null");
        }

        public enum Kind { UNION, INTERSECT, EXCEPT }
    }

    record Alias(String name) implements Op {
        public Alias {
            Objects.requireNonNull(name, "name is null");
        }
    }

    enum JoinType { INNER, LEFT, RIGHT, FULL, SEMI, ANTI, CROSS }

    /** A SQL expression ({@code "age + 1"}) or a plain column name, optionally renamed. */
    record Column(String text, boolean isName, Optional<String> alias) {
        public Column {
            Objects.requireNonNull(text, "text is null");
            Objects.requireNonNull(alias, "alias is null");
        }

        public static Column expr(String text) {
            return new Column(text, false, Optional.empty());
        }
    }

    record SortKey(Column column, boolean descending, Optional<Boolean> nullsFirst) {
        public SortKey {
            Objects.requireNonNull(column, "column is null");
            Objects.requireNonNull(nullsFirst, "nullsFirst is null");
        }
    }
}
