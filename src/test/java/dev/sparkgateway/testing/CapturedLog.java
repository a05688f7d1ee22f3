package dev.sparkgateway.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logmanager.ExtLogRecord;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what one logger (and its children) logs while a test runs, so a test can assert on log
 * lines instead of printing them: while it captures, the logger's records reach only it, not the
 * console (a test that provokes errors on purpose keeps the build log quiet). Quarkus' JBoss
 * LogManager backs java.util.logging in tests.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final boolean parentHandlers;

    private CapturedLog(Logger logger) {
        this.logger = logger;
        this.parentHandlers = logger.getUseParentHandlers();
        setLevel(Level.ALL);
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    public static CapturedLog of(String loggerName) {
        return new CapturedLog(Logger.getLogger(loggerName));
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The formatted messages (parameters substituted), in order. */
    public List<String> messages() {
        return records.stream().map(CapturedLog::message).toList();
    }

    /**
     * The messages that match, once at least one does (or the deadline passes): lines written when a
     * response body ends may come a moment after the client saw that end.
     */
    public List<String> await(Predicate<String> match, Duration timeout) {
        try {
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .until(() -> messages().stream().filter(match).toList(), found -> !found.isEmpty());
        } catch (ConditionTimeoutException e) {
            // None: the caller's assertion names what it missed.
            return List.of();
        }
    }

    public static String message(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.setUseParentHandlers(parentHandlers);
        logger.removeHandler(this);
    }
}
