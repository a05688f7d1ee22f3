package dev.sparkgateway.statement;

import org.apache.spark.connect.proto.ExecutePlanResponse.ExecutionProgress;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spark's progress of one statement, merged from its ExecutionProgress reports (sent every
 * {@code spark.connect.progress.reportInterval}, 2 s by default).
 */
@Schema(requiredProperties = {"stages", "totalTasks", "completedTasks", "inflightTasks", "inputBytesRead"})
public record Progress(List<Stage> stages, long totalTasks, long completedTasks, long inflightTasks, long inputBytesRead) {

    public static final Progress NONE = new Progress(List.of(), 0, 0, 0, 0);

    @Schema(name = "ProgressStage", requiredProperties = {"stageId", "numTasks", "numCompletedTasks", "inputBytesRead", "done"})
    public record Stage(long stageId, long numTasks, long numCompletedTasks, long inputBytesRead, boolean done) {
    }

    public Progress {
        stages = List.copyOf(stages);
    }

    /** This progress updated by a report: stages are kept by id, so a report naming only some keeps the rest. */
    public Progress merge(ExecutionProgress report) {
        Map<Long, Stage> byId = new TreeMap<>();
        stages.forEach(s -> byId.put(s.stageId(), s));
        report.getStagesList().forEach(s -> byId.put(s.getStageId(),
                new Stage(s.getStageId(), s.getNumTasks(), s.getNumCompletedTasks(), s.getInputBytesRead(), s.getDone())));
        List<Stage> merged = List.copyOf(byId.values());
        return new Progress(merged, merged.stream().mapToLong(Stage::numTasks).sum(),
                merged.stream().mapToLong(Stage::numCompletedTasks).sum(), report.getNumInflightTasks(),
                merged.stream().mapToLong(Stage::inputBytesRead).sum());
    }

    /** Every stage done and no task in flight: the progress of a statement that succeeded. */
    public Progress finished() {
        List<Stage> done = stages.stream()
                .map(s -> new Stage(s.stageId(), s.numTasks(), s.numTasks(), s.inputBytesRead(), true)).toList();
        return new Progress(done, totalTasks, totalTasks, 0, inputBytesRead);
    }
}
