package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * One table or view with its columns. Spark's Catalog tells no provider or location of a table,
 * so neither is here (see docs/catalog.md).
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
        List<ColumnInfo> columns) {

    public TableDetail {
        namespace = List.copyOf(namespace);
        columns = List.copyOf(columns);
    }

    static TableDetail of(TableInfo table, List<ColumnInfo> columns) {
        return new TableDetail(table.name(), table.catalog(), table.namespace(), table.description(), table.tableType(),
                table.isTemporary(), columns);
    }
}
