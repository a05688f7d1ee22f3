package dev.sparkgateway.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.spark.connect.proto.DataType;

import java.util.Objects;

/**
 * A Spark SQL data type as a value: the structure Spark Connect describes it with, named the way
 * Spark names it ({@code bigint}, {@code decimal(10,2)}, {@code array<string>}) wherever it is
 * written out, and mapped to the Arrow field Spark would send for it.
 */
public record SparkType(DataType proto) {

    public SparkType {
        Objects.requireNonNull(proto, "proto");
    }

    /** Parses a Spark SQL type name such as {@code DECIMAL(10,2)}; the inverse of {@link #name()}. */
    @JsonCreator
    public static SparkType parse(String name) {
        return new SparkType(DataTypes.parse(name));
    }

    /** Spark's own simple name of the type, as in a result's {@code schema}. */
    @JsonValue
    public String name() {
        return DataTypes.format(proto);
    }

    /** The Arrow field Spark uses for a column of this type. */
    public Field arrowField(String column, boolean nullable) {
        return ArrowTypes.field(column, proto, nullable);
    }

    @Override
    public String toString() {
        return name();
    }
}
