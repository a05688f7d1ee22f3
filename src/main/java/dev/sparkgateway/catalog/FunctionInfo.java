package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * One function a database's listing shows: Spark lists built-in and temporary functions (no
 * catalog, no namespace) along with the database's own.
 */
// Fields Spark leaves null are left out, as problem details do.
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Function", requiredProperties = {"name", "isTemporary"})
public record FunctionInfo(
        String name,
        @Schema(description = "Absent for built-in and temporary functions") String catalog,
        @Schema(description = "The database as name parts; absent for built-in and temporary functions") List<String> namespace,
        String description,
        @Schema(description = "The class implementing it") String className,
        @Schema(description = "Built-in or temporary: not stored in a database") @JsonProperty("isTemporary") boolean isTemporary) {

    public FunctionInfo {
        namespace = namespace == null ? null : List.copyOf(namespace);
    }
}
