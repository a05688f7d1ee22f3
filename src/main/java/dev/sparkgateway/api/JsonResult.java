package dev.sparkgateway.api;

import dev.sparkgateway.problem.Problem;
import dev.sparkgateway.result.ResultColumn;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The shape of an {@code application/json} result, for the OpenAPI document only: the body itself
 * is streamed by {@code result.JsonEncoder}, never built as an object.
 */
@Schema(name = "JsonResult", description = "A result in the JSON format; values follow docs/types.md",
        requiredProperties = {"schema", "rows", "rowCount", "truncated"})
public record JsonResult(
        @Schema(description = "Columns in order") List<ResultColumn> schema,
        @Schema(description = "One array per row, values in column order") List<List<Object>> rows,
        @Schema(description = "Rows in the body") long rowCount,
        @Schema(description = "True when the row limit cut rows off") boolean truncated,
        @Schema(description = "Present only when Spark failed after rows were sent (a problem+json object)") Problem error) {
}
