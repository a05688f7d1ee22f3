package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One catalog the Spark server knows ({@code spark_catalog} is Spark's own session catalog). */
// Fields Spark leaves null are left out, as problem details do.
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Catalog", requiredProperties = "name")
public record CatalogInfo(String name, @Schema(description = "Absent when the catalog has none") String description) {
}
