package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One table or view of a database listing; temporary views have no catalog and an empty namespace. */
// Fields Spark leaves null are left out, as problem details do.
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Table", requiredProperties = {"name", "namespace", "isTemporary"})
public record TableInfo(
        String name,
        @Schema(description = "Absent for a temporary view") String catalog,
        @Schema(description = "The database, as a list of name parts; empty for a session's temporary view") List<String> namespace,
        @Schema(description = "Its comment; absent without one") String description,
        @Schema(description = "MANAGED, EXTERNAL, VIEW or TEMPORARY") String tableType,
        // Named explicitly: Jackson would otherwise call an is-accessor's property "temporary".
        @JsonProperty("isTemporary") boolean isTemporary) {

    public TableInfo {
        namespace = List.copyOf(namespace);
    }
}
