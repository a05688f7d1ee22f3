package dev.sparkgateway.connect;

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
}
