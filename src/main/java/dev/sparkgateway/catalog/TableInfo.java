package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One table or view of a database listing; temporary views have no catalog and an empty namespace. */
@Schema(name = "Table", requiredProperties = {"name", "namespace", "isTemporary"})
public record TableInfo(
        String name,
        @Schema(description = "null for a temporary view") String catalog,
        @Schema(description = "The database, as a list of name parts; empty for a session's temporary view") List<String> namespace,
        @Schema(description = "Its comment, null without one") String description,
        @Schema(description = "MANAGED, EXTERNAL, VIEW or TEMPORARY") String tableType,
        // Named explicitly: Jackson would otherwise call an is-accessor's property "temporary".
        @JsonProperty("isTemporary") boolean isTemporary) {

    public TableInfo {
        namespace = List.copyOf(namespace);
    }
}
