package dev.sparkgateway.connect;

import dev.sparkgateway.error.SparkException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparkErrorsTest {

    /** A gRPC failure the way Spark Connect sends it: status code and message plus an ErrorInfo detail. */
    static StatusRuntimeException sparkFailure(int code, String message, Map<String, String> metadata) {
        ErrorInfo info = ErrorInfo.newBuilder().setReason("org.apache.spark.SparkArithmeticException")
                .setDomain("org.apache.spark").putAllMetadata(metadata).build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code).setMessage(message).addDetails(Any.pack(info)).build());
    }

    static StatusRuntimeException divideByZero() {
        return sparkFailure(Status.Code.INTERNAL.value(), "[DIVIDE_BY_ZERO] Division by zero.", Map.of(
                "errorClass", "DIVIDE_BY_ZERO",
                "sqlState", "22012",
                "errorId", "abc",
                "messageParameters", "{\"config\":\"spark.sql.ansi.enabled\"}"));
    }

    static SparkException withClass(String errorClass) {
        return SparkErrors.decode(sparkFailure(Status.Code.INTERNAL.value(), "x", Map.of("errorClass", errorClass)));
    }

    @Test
    void decodesErrorInfo() {
        StatusRuntimeException grpc = divideByZero();
        SparkException e = SparkErrors.decode(grpc);
        assertEquals(Status.Code.INTERNAL, e.code());
        assertEquals("[DIVIDE_BY_ZERO] Division by zero.", e.getMessage());
        assertEquals(Optional.of("DIVIDE_BY_ZERO"), e.errorClass());
        assertEquals(Optional.of("22012"), e.sqlState());
        assertEquals(Optional.of("abc"), e.errorId());
        assertEquals(Map.of("config", "spark.sql.ansi.enabled"), e.messageParameters());
        assertSame(grpc, e.getCause());
        assertFalse(e.isUnavailable());
        assertFalse(e.isStaleSession());
        assertFalse(e.isCancelled());
        assertFalse(e.isTimeout());
    }

    @Test
    void decodesSeveralMessageParameters() {
        SparkException e = SparkErrors.decode(sparkFailure(3, "[TABLE_OR_VIEW_NOT_FOUND] ...", Map.of(
                "errorClass", "TABLE_OR_VIEW_NOT_FOUND", "sqlState", "42P01",
                "messageParameters", "{\"relationName\":\"`nope`\",\"other\":\"x y\"}")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertEquals(Map.of("relationName", "`nope`", "other", "x y"), e.messageParameters());
        assertEquals(Optional.empty(), e.errorId());
    }

    @Test
    void unavailableWithoutDetailsSaysUnreachable() {
        SparkException e = SparkErrors.decode(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());
        assertTrue(e.isUnavailable());
        assertEquals(Status.Code.UNAVAILABLE, e.code());
        assertEquals("Spark Connect is unreachable: io exception", e.getMessage());
        assertTrue(e.getMessage().contains("unreachable"));
        assertEquals(Optional.empty(), e.errorClass());
        assertEquals(Optional.empty(), e.sqlState());
        assertEquals(Map.of(), e.messageParameters());
    }

    @Test
    void statusWithoutDescriptionUsesTheCodeName() {
        SparkException e = SparkErrors.decode(Status.DEADLINE_EXCEEDED.asRuntimeException());
        assertEquals("DEADLINE_EXCEEDED", e.getMessage());
        assertTrue(e.isTimeout());
    }

    @Test
    void cancelled() {
        assertTrue(SparkErrors.decode(Status.CANCELLED.asRuntimeException()).isCancelled());
        assertTrue(withClass("OPERATION_CANCELED").isCancelled());
    }

    @Test
    void anyOtherThrowableBecomesUnknown() {
        IllegalStateException cause = new IllegalStateException("boom");
        SparkException e = SparkErrors.decode(cause);
        assertEquals(Status.Code.UNKNOWN, e.code());
        assertSame(cause, e.getCause());
        assertEquals(Optional.empty(), e.errorClass());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"INVALID_HANDLE.SESSION_CLOSED", "INVALID_HANDLE.SESSION_NOT_FOUND", "INVALID_HANDLE.SESSION_CHANGED"})
    void staleSessionClasses(String errorClass) {
        SparkException e = withClass(errorClass);
        assertEquals(Optional.of(errorClass), e.errorClass());
        assertTrue(e.isStaleSession());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"INVALID_HANDLE.OPERATION_NOT_FOUND", "INVALID_HANDLE", "INVALID_HANDLE.FORMAT", "DIVIDE_BY_ZERO"})
    void otherClassesAreNotStaleSessions(String errorClass) {
        assertFalse(withClass(errorClass).isStaleSession());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{not json", "[1,2]", "\"text\"", "{\"a\": {\"nested\": true}}"})
    void malformedMessageParametersGiveAnEmptyMap(String json) {
        SparkException e = SparkErrors.decode(sparkFailure(13, "m", Map.of(
                "errorClass", "DIVIDE_BY_ZERO", "sqlState", "22012", "messageParameters", json)));
        assertEquals(Map.of(), e.messageParameters());
        assertEquals(Optional.of("DIVIDE_BY_ZERO"), e.errorClass());
        assertEquals(Optional.of("22012"), e.sqlState());
    }

    @Test
    void blankMessageParametersGiveAnEmptyMap() {
        assertEquals(Map.of(), SparkErrors.decode(sparkFailure(13, "m", Map.of("messageParameters", " "))).messageParameters());
    }

    @Test
    void detailsOtherThanErrorInfoAreIgnored() {
        StatusRuntimeException grpc = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(13).setMessage("plain").addDetails(Any.pack(com.google.rpc.RetryInfo.getDefaultInstance())).build());
        SparkException e = SparkErrors.decode(grpc);
        assertEquals("plain", e.getMessage());
        assertEquals(Optional.empty(), e.errorClass());
    }

    @Test
    void decodingASparkExceptionReturnsTheSameInstance() {
        SparkException e = SparkErrors.decode(divideByZero());
        assertSame(e, SparkErrors.decode(e));
    }

    @Test
    void messageParametersAreImmutable() {
        Map<String, String> parameters = SparkErrors.decode(divideByZero()).messageParameters();
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> parameters.put("k", "v"));
    }
    @Test
    void stackTextIsCutFromMessages() {
        String message = "Job aborted due to stage failure: Task 0 in stage 1.0 failed 1 times, most recent failure:"
                + " java.lang.IllegalStateException: boom\n\tat org.apache.spark.sql.X.apply(X.scala:12)\n"
                + "\tat java.base/java.lang.Thread.run(Thread.java:840)\n\nDriver stacktrace:\n\tat org.apache.spark.Y.z(Y.scala:1)";
        SparkException e = SparkErrors.decode(sparkFailure(13, message, Map.of("errorId", "e1")));
        assertEquals("Job aborted due to stage failure: Task 0 in stage 1.0 failed 1 times, most recent failure:"
                + " java.lang.IllegalStateException: boom", e.getMessage());
        assertEquals("java.lang.Exception: x", SparkErrors.summary("java.lang.Exception: x\nat org.apache.spark.A.b(A.scala:3)\n... 12 more"));
        assertEquals("(no message; the gateway's log has Spark's error)", SparkErrors.summary("\tat a.B.c(B.java:1)"));
    }

    @Test
    void sqlContextInMessagesIsKept() {
        String message = "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 10)\n\n== SQL ==\nSELECT 1 +\n----------^^^\n";
        assertEquals(message.stripTrailing(), SparkErrors.decode(sparkFailure(13, message, Map.of())).getMessage());
    }

    @Test
    void longMessagesAreCutWithoutSplittingACharacter() {
        String message = "[TABLE_OR_VIEW_NOT_FOUND] " + "\uD83D\uDE00".repeat(5000);
        String cut = SparkErrors.decode(sparkFailure(13, message, Map.of("errorClass", "TABLE_OR_VIEW_NOT_FOUND"))).getMessage();
        assertTrue(cut.length() < SparkErrors.MAX_MESSAGE_CHARS + 40, cut.length() + "");
        assertTrue(cut.endsWith(" more characters)"), cut.substring(cut.length() - 40));
        String kept = cut.substring(0, cut.indexOf("... ("));
        assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)));
    }

    @Test
    void missingOrWrongTokenTellsTheOperatorWhatToSet() {
        SparkException e = SparkErrors.decode(Status.UNAUTHENTICATED.withDescription("No authentication token provided").asRuntimeException());
        assertTrue(e.isUnauthenticated());
        assertFalse(e.isUnavailable());
        assertTrue(e.getMessage().contains("gateway.spark.token"), e.getMessage());
        assertTrue(e.getMessage().contains("No authentication token provided"), e.getMessage());
    }

    @Test
    void exceptionClassComesFromTheReason() {
        SparkException e = SparkErrors.decode(sparkFailure(13, "requirement failed: step (0) cannot be 0", Map.of("errorId", "x")));
        // sparkFailure's reason is SparkArithmeticException, which is no invalid-input class.
        assertEquals(Optional.of("org.apache.spark.SparkArithmeticException"), e.exceptionClass());
        assertFalse(e.isInvalidInput());
        ErrorInfo info = ErrorInfo.newBuilder().setReason("java.lang.IllegalArgumentException").putMetadata("errorId", "x").build();
        SparkException invalid = SparkErrors.decode(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(13).setMessage("requirement failed").addDetails(Any.pack(info)).build()));
        assertTrue(invalid.isInvalidInput());
    }

    @Test
    void fetchedDetailsFillInTheErrorClassTheTrailersLacked() {
        SparkException trailers = SparkErrors.decode(sparkFailure(13, "[TABLE_OR_VIEW_NOT_FOUND] The table or view `t...` cannot be found.",
                Map.of("errorId", "id-1", "sqlState", "42P01")));
        org.apache.spark.connect.proto.FetchErrorDetailsResponse details = org.apache.spark.connect.proto.FetchErrorDetailsResponse.newBuilder()
                .setRootErrorIdx(0)
                .addErrors(org.apache.spark.connect.proto.FetchErrorDetailsResponse.Error.newBuilder()
                        .addErrorTypeHierarchy("org.apache.spark.sql.AnalysisException")
                        .setMessage("[TABLE_OR_VIEW_NOT_FOUND] The table or view `txxxx` cannot be found.\n\tat org.apache.spark.A.b(A.scala:1)")
                        .setSparkThrowable(org.apache.spark.connect.proto.FetchErrorDetailsResponse.SparkThrowable.newBuilder()
                                .setErrorClass("TABLE_OR_VIEW_NOT_FOUND").setSqlState("42P01").putMessageParameters("relationName", "`txxxx`")))
                .build();
        SparkException e = SparkErrors.withDetails(trailers, details);
        assertEquals(Optional.of("TABLE_OR_VIEW_NOT_FOUND"), e.errorClass());
        assertEquals(Optional.of("42P01"), e.sqlState());
        assertEquals(Optional.of("id-1"), e.errorId());
        assertEquals(Map.of("relationName", "`txxxx`"), e.messageParameters());
        assertEquals("[TABLE_OR_VIEW_NOT_FOUND] The table or view `txxxx` cannot be found.", e.getMessage());
        assertSame(trailers.getCause(), e.getCause());
        assertSame(trailers, SparkErrors.withDetails(trailers, org.apache.spark.connect.proto.FetchErrorDetailsResponse.getDefaultInstance()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cannot call methods on a stopped SparkContext.\nThis stopped SparkContext was created at:\n\norg.apache.spark.X.main(X.scala)",
            "Job 5 cancelled because SparkContext was shut down",
            "[INTERNAL_ERROR] No active or default Spark session found SQLSTATE: XX000"})
    void aServerShuttingDownCountsAsUnavailable(String message) {
        SparkException e = SparkErrors.decode(sparkFailure(Status.Code.INTERNAL.value(), message, Map.of("errorId", "e1")));
        assertTrue(e.isUnavailable(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Spark Connect is shutting down: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "first line only: " + e.getMessage());
        assertEquals(Optional.of("e1"), e.errorId());
        assertFalse(SparkErrors.decode(divideByZero()).isUnavailable());
    }
}
