package dev.sparkgateway.result;

import dev.sparkgateway.types.SparkType;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Objects;

/**
 * One result column as Spark describes it.
 *
 * @param name     column name
 * @param type     its Spark type, written as Spark names it, e.g. {@code "bigint"}, {@code "decimal(10,2)"}, {@code "array<string>"}
 * @param nullable whether Spark declares the column nullable
 */
@Schema(name = "ResultColumn", requiredProperties = {"name", "type", "nullable"})
public record ResultColumn(
        String name,
        @Schema(type = SchemaType.STRING, implementation = String.class,
                description = "Spark SQL type name, e.g. bigint, decimal(10,2), array<string>") SparkType type,
        boolean nullable) {
    public ResultColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
