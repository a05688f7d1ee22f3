package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One column of a table or view, as Spark's Catalog lists it. */
// Fields Spark leaves null are left out, as problem details do.
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Column", requiredProperties = {"name", "type", "nullable", "isPartition", "isBucket", "isCluster"})
public record ColumnInfo(
        String name,
        @Schema(description = "The type as /v1/sql schemas name it (int, decimal(10,2), array<string>, struct<a:int>...)") String type,
        boolean nullable,
        @Schema(description = "Its comment; absent without one") String comment,
        @Schema(description = "A partition column (PARTITIONED BY)") @JsonProperty("isPartition") boolean isPartition,
        @Schema(description = "A bucketing column (CLUSTERED BY ... INTO n BUCKETS)") @JsonProperty("isBucket") boolean isBucket,
        @Schema(description = "A clustering column (CLUSTER BY)") @JsonProperty("isCluster") boolean isCluster) {
}
