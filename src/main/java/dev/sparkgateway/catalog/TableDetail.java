package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * One table or view with its columns, and for a table in the catalog its provider and (for
 * principals the SQL policy does not restrict) its location (see docs/catalog.md).
 */
// Fields Spark leaves null are left out, as problem details do.
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "TableDetail", requiredProperties = {"name", "namespace", "isTemporary", "columns"})
public record TableDetail(
        String name,
        @Schema(description = "Absent for a temporary view") String catalog,
        @Schema(description = "The database, as a list of name parts; empty for a session's temporary view") List<String> namespace,
        @Schema(description = "Its comment; absent without one") String description,
        @Schema(description = "MANAGED, EXTERNAL, VIEW or TEMPORARY") String tableType,
        @JsonProperty("isTemporary") boolean isTemporary,
        @Schema(description = "Its data source (parquet, delta, hive...); absent for views") String provider,
        @Schema(description = "Where its files are; absent for views, temporary views and restricted principals")
        String location,
        List<ColumnInfo> columns) {

    public TableDetail {
        namespace = List.copyOf(namespace);
        columns = List.copyOf(columns);
    }

    static TableDetail of(TableInfo table, TableStorage storage, List<ColumnInfo> columns) {
        return new TableDetail(table.name(), table.catalog(), table.namespace(), table.description(), table.tableType(),
                table.isTemporary(), storage.provider(), storage.location(), columns);
    }
}
