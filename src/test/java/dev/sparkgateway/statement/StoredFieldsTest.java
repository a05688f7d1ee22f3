package dev.sparkgateway.statement;

import dev.sparkgateway.error.ConflictException;
import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.error.InternalException;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.error.LimitExceededException;
import dev.sparkgateway.error.NotFoundException;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.error.StoppedException;
import dev.sparkgateway.error.UnavailableException;
import dev.sparkgateway.problem.Problem;
import dev.sparkgateway.problem.Problems;
import dev.sparkgateway.result.ResultColumn;
import dev.sparkgateway.types.SparkType;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the shared store keeps of a statement reads back as it was: the same failure, problem and all. */
class StoredFieldsTest {

    static Stream<GatewayException> failures() {
        return Stream.of(
                new SparkException(Status.Code.INVALID_ARGUMENT, "[TABLE_OR_VIEW_NOT_FOUND] nope",
                        new SparkException.Info("TABLE_OR_VIEW_NOT_FOUND", "42P01", "e-1", Map.of("relationName", "`t`"),
                                "org.apache.spark.sql.AnalysisException"), null),
                new SparkException(Status.Code.UNAVAILABLE, "io exception", null, null),
                StoppedException.timedOut("ran past 1s", null),
                StoppedException.cancelled("abandoned"),
                new LimitExceededException(LimitExceededException.Reason.SPOOL, "spool full", null),
                new LimitExceededException(LimitExceededException.Reason.RUNNING, "too many", Duration.ofSeconds(7)),
                new UnavailableException(UnavailableException.Reason.INSTANCE_LOST, "replica lost"),
                new UnavailableException(UnavailableException.Reason.SPARK_POLICY, "no policy"),
                DeniedException.policy("reads system tables"),
                DeniedException.forbidden("not yours"),
                new InvalidRequestException(InvalidRequestException.Reason.INVALID, "bad column", "/dataframe/select/0"),
                ConflictException.resultUnavailable("not yet", Duration.ofSeconds(1)),
                ConflictException.idempotency("other request"),
                new NotFoundException("no such table"),
                InternalException.ofGateway("bug"),
                InternalException.ofSpark("protocol"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aFailureReadsBackAsTheSameProblem(GatewayException failure) {
        GatewayException read = StoredFields.failure(StoredFields.failure(failure));
        assertEquals(failure.getClass(), read.getClass());
        assertEquals(failure.getMessage(), read.getMessage());
        assertEquals(failure.retryAfter(), read.retryAfter());
        Problem before = Problems.describe(failure);
        Problem after = Problems.describe(read);
        assertEquals(before, after, "the problem a replica renders from the stored failure");
        if (failure instanceof SparkException spark) {
            assertEquals(spark.info(), ((SparkException) read).info());
            assertEquals(spark.code(), ((SparkException) read).code());
        }
    }

    @Test
    void noFailureIsNull() {
        assertNull(StoredFields.failure((GatewayException) null));
        assertNull(StoredFields.failure((String) null));
    }

    @Test
    void columnsChunksAndProgressReadBack() {
        List<ResultColumn> columns = List.of(new ResultColumn("id", SparkType.parse("bigint"), false),
                new ResultColumn("m", SparkType.parse("map<string,array<decimal(10,2)>>"), true),
                new ResultColumn("s", SparkType.parse("struct<a:int,b:timestamp>"), true));
        assertEquals(columns, StoredFields.columns(StoredFields.json(columns)));
        assertNull(StoredFields.columns(null));
        List<ChunkInfo> chunks = List.of(new ChunkInfo(0, 0, 10, 1234), new ChunkInfo(1, 10, 5, 600));
        assertEquals(chunks, StoredFields.chunks(StoredFields.json(chunks)));
        Progress progress = new Progress(List.of(new Progress.Stage(3, 8, 5, 1024, false)), 8, 5, 3, 1024);
        assertEquals(progress, StoredFields.progress(StoredFields.json(progress)));
    }
}
