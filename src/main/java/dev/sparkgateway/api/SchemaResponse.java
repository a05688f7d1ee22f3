package dev.sparkgateway.api;

import dev.sparkgateway.result.ResultColumn;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The columns a statement would return, in the same form as a JSON result's {@code schema}. */
@Schema(name = "SchemaResponse", description = "The columns a query would return, without running it",
        requiredProperties = "schema")
public record SchemaResponse(List<ResultColumn> schema) {

    public SchemaResponse {
        schema = List.copyOf(schema);
    }
}
