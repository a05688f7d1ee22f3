package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One database (namespace) of a catalog. */
// Fields Spark leaves null are left out, as problem details do.
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Database", requiredProperties = {"name", "catalog"})
public record DatabaseInfo(
        @Schema(description = "As it goes into /databases/{database}, unquoted") String name,
        String catalog,
        @Schema(description = "Its comment; absent without one") String description,
        @Schema(description = "Where its tables' files are; only for principals the SQL policy does not restrict")
        String locationUri) {
}
