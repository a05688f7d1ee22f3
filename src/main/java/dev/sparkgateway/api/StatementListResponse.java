package dev.sparkgateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** {@code GET /v1/statements}: one page of the caller's statements. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "StatementList", requiredProperties = {"statements"})
public record StatementListResponse(
        @Schema(description = "Newest first") List<StatementResponse> statements,
        @Schema(description = "Pass as pageToken for the next page; absent on the last page") String nextPageToken) {
}
