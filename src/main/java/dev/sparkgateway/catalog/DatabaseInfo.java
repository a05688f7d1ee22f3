package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One database (namespace) of a catalog. */
@Schema(name = "Database", requiredProperties = {"name", "catalog"})
public record DatabaseInfo(
        @Schema(description = "As it goes into /databases/{database}, unquoted") String name,
        String catalog,
        @Schema(description = "Its comment, null without one") String description,
        @Schema(description = "Where its tables' files are; only for principals the SQL policy does not restrict")
        @JsonInclude(JsonInclude.Include.NON_NULL) String locationUri) {
}
