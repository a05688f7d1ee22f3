package dev.sparkgateway.problem;

import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.testing.CapturedLog;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log policy of {@link Problems#log}: quiet for callers' errors, one trace per bug, no floods. */
class ProblemLogTest {

    @Test
    void aThousandIdenticalGatewayBugsLogOneTrace() {
        try (CapturedLog log = CapturedLog.of(Problems.class.getName())) {
            for (int i = 0; i < 1000; i++) {
                Problems.from(bug());
            }
            List<LogRecord> records = log.records();
            assertEquals(1, records.size(), log.messages().toString());
            assertTrue(records.get(0).getLevel().intValue() >= Level.SEVERE.intValue(), "logged as an error");
            assertNotNull(records.get(0).getThrown(), "the first one keeps its stack trace");
        }
    }

    @Test
    void sparkInternalErrorsAreOneWarnLineWithoutATrace() {
        try (CapturedLog log = CapturedLog.of(Problems.class.getName())) {
            SparkException internal = new SparkException(Status.Code.UNKNOWN, "java.lang.OutOfMemoryError\n\tat org.apache.spark.X",
                    SparkException.Info.NONE, null);
            for (int i = 0; i < 100; i++) {
                Problems.from(internal);
            }
            List<LogRecord> records = log.records().stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
            assertEquals(1, records.size(), log.messages().toString());
            assertNull(records.get(0).getThrown());
            assertFalse(CapturedLog.message(records.get(0)).contains("\n"), "message text is escaped");
        }
    }

    @Test
    void callersErrorsStayBelowInfo() {
        try (CapturedLog log = CapturedLog.of(Problems.class.getName())) {
            Problems.from(new InvalidRequestException("missing field 'sql'\nINFO forged", "/sql"));
            assertTrue(log.records().stream().allMatch(r -> r.getLevel().intValue() < Level.INFO.intValue()), log.messages().toString());
            assertTrue(log.messages().stream().noneMatch(m -> m.contains("\n")), log.messages().toString());
        }
    }

    /** The same bug every time: one exception class thrown from one place. */
    private static RuntimeException bug() {
        return new IllegalStateException("a gateway bug");
    }
}
