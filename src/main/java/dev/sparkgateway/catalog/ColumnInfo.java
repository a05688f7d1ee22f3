package dev.sparkgateway.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One column of a table or view, as Spark's Catalog lists it. */
@Schema(name = "Column", requiredProperties = {"name", "type", "nullable", "isPartition", "isBucket", "isCluster"})
public record ColumnInfo(
        String name,
        @Schema(description = "The type as /v1/sql schemas name it (int, decimal(10,2), array<string>, struct<a:int>...)") String type,
        boolean nullable,
        @Schema(description = "Its comment, null without one") String comment,
        @Schema(description = "A partition column (PARTITIONED BY)") @JsonProperty("isPartition") boolean isPartition,
        @Schema(description = "A bucketing column (CLUSTERED BY ... INTO n BUCKETS)") @JsonProperty("isBucket") boolean isBucket,
        @Schema(description = "A clustering column (CLUSTER BY)") @JsonProperty("isCluster") boolean isCluster) {
}
