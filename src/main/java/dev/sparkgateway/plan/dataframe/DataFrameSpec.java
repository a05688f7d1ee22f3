package dev.sparkgateway.plan.dataframe;

import java.util.List;
import java.util.Objects;

/**
 * A DataFrame as JSON: a source and the operations applied to it, in order, the way a chain of
 * DataFrame method calls reads. {@code docs/dataframe-spec.md} is the grammar.
 */
public record DataFrameSpec(Source source, List<Op> ops) {

    public DataFrameSpec {
        Objects.requireNonNull(source, "source is null");
        ops = List.copyOf(ops);
    }
}
