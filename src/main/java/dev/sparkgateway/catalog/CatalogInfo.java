package dev.sparkgateway.catalog;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One catalog the Spark server knows ({@code spark_catalog} is Spark's own session catalog). */
@Schema(name = "Catalog", requiredProperties = "name")
public record CatalogInfo(String name, @Schema(description = "null when the catalog has none") String description) {
}
