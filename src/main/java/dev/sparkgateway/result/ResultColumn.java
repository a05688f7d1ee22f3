package dev.sparkgateway.result;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Objects;

/**
 * One result column as Spark describes it.
 *
 * @param name     column name
 * @param type     Spark SQL type name, e.g. {@code "bigint"}, {@code "decimal(10,2)"}, {@code "array<string>"}
 * @param nullable whether Spark declares the column nullable
 */
@Schema(name = "ResultColumn", requiredProperties = {"name", "type", "nullable"})
public record ResultColumn(String name, String type, boolean nullable) {
    public ResultColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
