package dev.sparkgateway.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.testing.CapturedLog;
import dev.sparkgateway.plan.PlanException;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.error.LimitExceededException;
import io.grpc.Status;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ProblemsTest {

    static SparkException spark(Status.Code code, String errorClass, String sqlState) {
        return new SparkException(code, "[" + errorClass + "] something went wrong",
                new SparkException.Info(errorClass, sqlState, "err-1", Map.of(), null), null);
    }

    // --- Spark failures -------------------------------------------------------------------

    @Test
    void syntaxErrorIsA400CarryingSparkFields() {
        SparkException e = new SparkException(Status.Code.INVALID_ARGUMENT, "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.",
                new SparkException.Info("PARSE_SYNTAX_ERROR", "42601", "abc-123", Map.of("error", "'SELEC'", "hint", ""), null), null);
        Problem p = Problems.from(e);
        assertEquals(400, p.status());
        assertEquals("/problems/spark-error", p.type());
        assertEquals(ProblemType.SPARK_ERROR.title(), p.title());
        assertEquals("[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.", p.detail());
        assertEquals("PARSE_SYNTAX_ERROR", p.errorClass());
        assertEquals("42601", p.sqlState());
        assertEquals("abc-123", p.errorId());
        assertEquals(Map.of("error", "'SELEC'", "hint", ""), p.messageParameters());
        assertNull(p.pointer());
        assertTrue(Problems.retryAfterSeconds(e).isEmpty());
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @CsvSource({
            "INVALID_ARGUMENT, PARSE_SYNTAX_ERROR,           42601, 400, spark-error",
            "INVALID_ARGUMENT, TABLE_OR_VIEW_NOT_FOUND,      42P01, 400, spark-error",
            "INTERNAL,         DIVIDE_BY_ZERO,               22012, 400, spark-error",
            "INVALID_ARGUMENT, TABLE_OR_VIEW_ALREADY_EXISTS, 42P07, 409, spark-conflict",
            "INVALID_ARGUMENT, SCHEMA_ALREADY_EXISTS,        42P06, 409, spark-conflict",
            "INVALID_ARGUMENT, ROUTINE_ALREADY_EXISTS,       42710, 409, spark-conflict",
            "INTERNAL,         SOME_CONSTRAINT_VIOLATION,    23505, 409, spark-conflict",
            "INTERNAL,         INTERNAL_ERROR,               XX000, 502, spark-internal",
            "INTERNAL,         CONNECT_FAILURE,              08001, 503, spark-unavailable",
            "INTERNAL,         ,                             ,      502, spark-internal",
            "UNKNOWN,          ,                             ,      502, spark-internal",
            "INVALID_ARGUMENT, ,                             ,      400, spark-error",
            "UNAVAILABLE,      ,                             ,      503, spark-unavailable",
            "UNAVAILABLE,      SOME_CLASS,                   42601, 503, spark-unavailable",
            "CANCELLED,        ,                             ,      504, spark-timeout",
            "DEADLINE_EXCEEDED, ,                            ,      504, spark-timeout",
            "INTERNAL,         OPERATION_CANCELED,           HY008, 504, spark-timeout",
            "INTERNAL,         INVALID_HANDLE.SESSION_CLOSED, HY000, 503, spark-unavailable",
            "INTERNAL,         INVALID_HANDLE.SESSION_NOT_FOUND, HY000, 503, spark-unavailable",
            "INTERNAL,         INVALID_HANDLE.SESSION_CHANGED, HY000, 503, spark-unavailable",
            "INTERNAL,         INVALID_HANDLE.OPERATION_NOT_FOUND, HY000, 400, spark-error"})
    void sparkFailuresMapToStatusAndType(Status.Code code, String errorClass, String sqlState, int status, String slug) {
        Problem p = Problems.from(spark(code, errorClass, sqlState));
        assertEquals(status, p.status());
        assertEquals("/problems/" + slug, p.type());
        assertEquals(errorClass, p.errorClass());
        assertEquals(sqlState, p.sqlState());
    }

    @Test
    void unavailableAndStaleSessionAskForARetry() {
        assertEquals(Optional.of(5L), Problems.retryAfterSeconds(spark(Status.Code.UNAVAILABLE, null, null)));
        assertTrue(Problems.retryAfterSeconds(spark(Status.Code.INTERNAL, "INVALID_HANDLE.SESSION_NOT_FOUND", "HY000")).isPresent());
        assertTrue(Problems.retryAfterSeconds(spark(Status.Code.DEADLINE_EXCEEDED, null, null)).isEmpty());
        assertTrue(Problems.retryAfterSeconds(spark(Status.Code.INTERNAL, "INTERNAL_ERROR", "XX000")).isEmpty());
    }

    @Test
    void sparkProblemWithoutParametersOmitsThem() {
        assertNull(Problems.from(spark(Status.Code.INVALID_ARGUMENT, "X", "42000")).messageParameters());
    }

    @Test
    void wrappedFailuresAreUnwrapped() {
        Problem p = Problems.from(new CompletionException(spark(Status.Code.INVALID_ARGUMENT, "TABLE_OR_VIEW_ALREADY_EXISTS", "42P07")));
        assertEquals(409, p.status());
        assertEquals(Optional.of(5L), Problems.retryAfterSeconds(new CompletionException(spark(Status.Code.UNAVAILABLE, null, null))));
    }

    // --- gateway failures -------------------------------------------------------------------

    @Test
    void planExceptionIsA400WithPointer() {
        Problem p = Problems.from(new PlanException("/parameters/since/value", "DATE values look like 2024-01-31"));
        assertEquals(400, p.status());
        assertEquals("/problems/invalid-request", p.type());
        assertEquals("DATE values look like 2024-01-31", p.detail());
        assertEquals("/parameters/since/value", p.pointer());
        assertNull(p.errorClass());
        assertTrue(Problems.retryAfterSeconds(new PlanException("/sql", "x")).isEmpty());
    }

    @Test
    void requestExceptionKeepsItsTypeAndPointer() {
        Problem p = Problems.from(new InvalidRequestException(InvalidRequestException.Reason.TOO_LARGE, "body exceeds 1048576 bytes"));
        assertEquals(413, p.status());
        assertEquals("/problems/payload-too-large", p.type());
        assertEquals("body exceeds 1048576 bytes", p.detail());
        assertNull(p.pointer());
        Problem limit = Problems.from(new InvalidRequestException("limit must be 0 or more", "/limit"));
        assertEquals(400, limit.status());
        assertEquals("/limit", limit.pointer());
    }

    @Test
    void poolExhaustedIsA503WithRetryAfter() {
        LimitExceededException e = new LimitExceededException(LimitExceededException.Reason.SESSIONS,
                "All 4 Spark sessions of user 'alice' stayed busy", Duration.ofSeconds(7));
        Problem p = Problems.from(e);
        assertEquals(503, p.status());
        assertEquals("/problems/pool-exhausted", p.type());
        assertTrue(p.detail().contains("alice"), p.detail());
        assertEquals(Optional.of(7L), Problems.retryAfterSeconds(e));
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        assertEquals(Optional.of(1L), Problems.retryAfterSeconds(
                new LimitExceededException(LimitExceededException.Reason.SESSIONS, "busy", Duration.ofMillis(200))));
        assertEquals(Optional.of(1L), Problems.retryAfterSeconds(
                new LimitExceededException(LimitExceededException.Reason.SESSIONS, "busy", Duration.ZERO)));
    }

    /** JAX-RS exceptions keep their status; those without a problem type of their own are invalid-request or internal. */
    static Stream<Arguments> jaxRsExceptions() {
        return Stream.of(
                Arguments.of(new NotFoundException(), 404, "/problems/not-found"),
                Arguments.of(new NotAllowedException("POST"), 405, "/problems/method-not-allowed"),
                Arguments.of(new NotSupportedException(), 415, "/problems/unsupported-media-type"),
                Arguments.of(new NotAcceptableException(), 406, "/problems/not-acceptable"),
                Arguments.of(new WebApplicationException(401), 401, "/problems/invalid-request"),
                Arguments.of(new WebApplicationException(501), 501, "/problems/internal"));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("jaxRsExceptions")
    void jaxRsExceptionsKeepTheirStatus(WebApplicationException e, int status, String type) {
        Problem p = Problems.from(e);
        assertEquals(status, p.status());
        assertEquals(type, p.type());
    }

    @Test
    void jaxRsNotAllowedListsTheAllowedMethods() {
        Problem p = Problems.from(new NotAllowedException("POST"));
        assertTrue(p.detail().contains("POST"), p.detail());
    }

    @Test
    void jaxRsNotSupportedSaysWhatToSend() {
        assertEquals("Send application/json or text/plain", Problems.from(new NotSupportedException()).detail());
        assertEquals("application/xml is not accepted", Problems.from(new NotSupportedException("application/xml is not accepted")).detail());
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        Exception e = null;
        try {
            new ObjectMapper().readTree("{\"sql\": ");
        } catch (Exception parse) {
            e = parse;
        }
        assertNotNull(e);
        Problem p = Problems.from(e);
        assertEquals(400, p.status());
        assertEquals("/problems/invalid-request", p.type());
        assertTrue(p.detail().startsWith("malformed JSON: "), p.detail());
    }

    @Test
    void unexpectedFailureIsA500ThatLeaksNothing() {
        RuntimeException e = new IllegalStateException("password=hunter2 at jdbc:secret://db");
        Problem p;
        try (CapturedLog log = CapturedLog.of(Problems.class.getName())) {
            p = Problems.from(e);
            // The log has what the caller does not: the bug, with its stack, for the operator.
            assertTrue(log.records().stream().anyMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                    && r.getThrown() == e), log.messages().toString());
        }
        assertEquals(500, p.status());
        assertEquals("/problems/internal", p.type());
        assertFalse(p.detail().contains("hunter2"), p.detail());
        assertFalse(p.detail().contains("jdbc"), p.detail());
        assertFalse(p.detail().contains("IllegalStateException"), p.detail());
        assertNull(p.errorClass());
        assertTrue(Problems.retryAfterSeconds(e).isEmpty());
    }

    @Test
    void unexpectedCheckedCauseInsideCompletionExceptionLeaksNothing() {
        Problem p;
        try (CapturedLog log = CapturedLog.of(Problems.class.getName())) {
            p = Problems.from(new CompletionException(new java.io.IOException("/etc/secret not readable")));
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("/etc/secret")), log.messages().toString());
        }
        assertEquals(500, p.status());
        assertFalse(p.detail().contains("secret"), p.detail());
    }

    // --- Problem and ProblemType -------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProblemType.class)
    void typeUrisAreProblemSlugs(ProblemType type) {
        assertTrue(type.uri().matches("/problems/[a-z]+(-[a-z]+)*"), type.uri());
        assertEquals("/problems/" + type.name().toLowerCase(Locale.ROOT).replace('_', '-'), type.uri());
        assertTrue(type.status() >= 400 && type.status() <= 599, type + " " + type.status());
        assertFalse(type.title().isBlank());
    }

    @Test
    void typeSlugsAreUnique() {
        List<String> uris = Arrays.stream(ProblemType.values()).map(ProblemType::uri).toList();
        assertEquals(uris.size(), uris.stream().distinct().count(), uris.toString());
    }

    /** uri() lower-cases with the default locale: under tr_TR, "INVALID_REQUEST" becomes "ınvalıd-request" (dotless ı). */
    @Test
    void typeUrisDoNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals("/problems/invalid-request", ProblemType.INVALID_REQUEST.uri());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void problemOfUsesTheTypesFields() {
        Problem p = Problem.of(ProblemType.NOT_FOUND, "nothing here");
        assertEquals("/problems/not-found", p.type());
        assertEquals("Not found", p.title());
        assertEquals(404, p.status());
        assertEquals("nothing here", p.detail());
    }

    @Test
    void withersKeepEverythingElse() {
        Problem p = Problems.from(spark(Status.Code.INVALID_ARGUMENT, "PARSE_SYNTAX_ERROR", "42601"))
                .withInstance("/v1/sql").withRequestId("req-1").withPointer("/sql");
        assertEquals("/v1/sql", p.instance());
        assertEquals("req-1", p.requestId());
        assertEquals("/sql", p.pointer());
        assertEquals("PARSE_SYNTAX_ERROR", p.errorClass());
        assertEquals("42601", p.sqlState());
        assertEquals(400, p.status());
    }

    @Test
    void jsonOmitsAbsentFields() throws Exception {
        JsonNode json = new ObjectMapper().valueToTree(Problem.of(ProblemType.INVALID_REQUEST, "bad").withPointer("/sql"));
        assertEquals("/problems/invalid-request", json.get("type").asText());
        assertEquals(400, json.get("status").asInt());
        assertEquals("/sql", json.get("pointer").asText());
        assertFalse(json.has("errorClass"));
        assertFalse(json.has("instance"));
        assertFalse(json.has("messageParameters"));
    }
}
