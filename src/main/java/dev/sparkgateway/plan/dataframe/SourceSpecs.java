package dev.sparkgateway.plan.dataframe;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** The sources of a DataFrame spec that need no limits: a range of numbers and a file read. */
final class SourceSpecs {

    private SourceSpecs() {
    }

    static Source range(At at) {
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

    static Source read(At at) {
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
}
