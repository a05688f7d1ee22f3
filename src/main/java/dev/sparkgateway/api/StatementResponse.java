package dev.sparkgateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.sparkgateway.problem.Problem;
import dev.sparkgateway.problem.Problems;
import dev.sparkgateway.result.ResultColumn;
import dev.sparkgateway.statement.ChunkInfo;
import dev.sparkgateway.statement.Progress;
import dev.sparkgateway.statement.StatementState;
import dev.sparkgateway.statement.StatementView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A statement's state as {@code POST /v1/statements}, {@code GET /v1/statements/{id}} and its events show it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Statement", description = "An asynchronous statement",
        requiredProperties = {"statementId", "state", "createdAt", "elapsedMs"})
public record StatementResponse(
        @Schema(description = "Unguessable id (UUID)") String statementId,
        StatementState state,
        @Schema(description = "The principal that submitted it") String owner,
        @Schema(description = "Equal for equal requests (16 hex digits of a hash of the request): "
                + "GET /v1/statements?fingerprint= finds the runs of one statement") String fingerprint,
        @Schema(description = "The Spark operation, once Spark answered") String operationId,
        @Schema(description = "ISO-8601 instant") String createdAt,
        @Schema(description = "Milliseconds from submit to now or to the end") long elapsedMs,
        @Schema(description = "Spark's live progress (stages, tasks, input bytes)") Progress progress,
        @Schema(description = "Result columns, once Spark sent them") List<ResultColumn> schema,
        @Schema(description = "Spooled result (RUNNING: the chunks so far)") Result result,
        @Schema(description = "Why it FAILED or was CANCELED by the gateway") Problem error) {

    /**
     * @param complete true once every chunk is spooled
     * @param inline   chunk 0 as its JSON body, written as the JSON encoder made it (submit responses, small results only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "StatementResult", requiredProperties = {"rowCount", "truncated", "byteCount", "complete", "chunks"})
    public record Result(long rowCount, boolean truncated, long byteCount, boolean complete, List<ChunkInfo> chunks,
            @Schema(implementation = JsonResult.class) @JsonRawValue String inline) {
    }

    /**
     * The statement as {@code view} shows it; {@code inline} (JSON, or null) is shown once it SUCCEEDED.
     *
     * @param path the statement's URI path, the {@code instance} of its error
     */
    public static StatementResponse of(StatementView view, String path, String inline) {
        Problem error = view.failure() == null ? null : Problems.describe(view.failure()).withInstance(path);
        Result result = null;
        boolean hasResult = view.state() == StatementState.RUNNING || view.state() == StatementState.SUCCEEDED;
        if (hasResult && view.columns() != null) {
            boolean complete = view.state() == StatementState.SUCCEEDED;
            result = new Result(view.rowCount(), view.truncated(), view.byteCount(), complete, view.chunks(),
                    complete ? inline : null);
        }
        return new StatementResponse(view.id().toString(), view.state(), view.owner(), view.fingerprint(), view.operationId(),
                view.createdAt().toString(), view.elapsed().toMillis(), view.progress(), view.columns(), result, error);
    }
}
