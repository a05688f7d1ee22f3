package dev.sparkgateway.plan.dataframe;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Where a DataFrame's rows come from. */
public sealed interface Source {

    /** {@code spark.table(name)}, with reader options. */
    record Table(String name, Map<String, String> options) implements Source {
        public Table {
            Objects.requireNonNull(name, "name is null");
            options = Map.copyOf(options);
        }
    }

    /** {@code spark.sql(query, args)}; {@code parameters} is null, an object or an array. */
    record Sql(String query, JsonNode parameters, String at) implements Source {
        public Sql {
            Objects.requireNonNull(query, "query is null");
            Objects.requireNonNull(at, "at is null");
        }
    }

    /** {@code spark.range(start, end, step, numPartitions)}. */
    record Range(OptionalLong start, long end, long step, OptionalInt numPartitions) implements Source {
    }

    /** Inline rows with a DDL schema; {@code at} is where the rows sit in the request, for error pointers. */
    record Values(String schema, List<JsonNode> rows, String at) implements Source {
        public Values {
            Objects.requireNonNull(schema, "schema is null");
            rows = List.copyOf(rows);
            Objects.requireNonNull(at, "at is null");
        }
    }

    /** {@code spark.read.format(format).options(options).schema(schema).load(paths)}. */
    record Read(String format, List<String> paths, Map<String, String> options, Optional<String> schema) implements Source {
        public Read {
            Objects.requireNonNull(format, "format is null");
            paths = List.copyOf(paths);
            options = Map.copyOf(options);
            Objects.requireNonNull(schema, "schema is null");
        }
    }
}
