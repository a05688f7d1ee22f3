package dev.sparkgateway.result;

import java.io.IOException;

/**
 * The result side failed (Spark, the stream from it, or undecodable batch data) while a response was
 * being encoded; writing to the client did not. Checked, so every caller decides what the client
 * sees: {@link #reportedInBand()} says whether the format already carried the error (JSON's
 * {@code "error"} member, NDJSON's error line) before the body was cut.
 */
public final class ResultFailedException extends Exception {

    private final boolean reportedInBand;

    ResultFailedException(Throwable cause) {
        this(cause, false);
    }

    private ResultFailedException(Throwable cause, boolean reportedInBand) {
        super(cause.getMessage(), cause, false, false);
        this.reportedInBand = reportedInBand;
    }

    /** {@link ResultStream#next()} with its failures marked as result failures. */
    static ArrowChunk next(ResultStream result) throws ResultFailedException {
        try {
            return result.next();
        } catch (IOException | RuntimeException e) {
            throw new ResultFailedException(e);
        }
    }

    /** The same failure, after the encoder wrote it into the body. */
    ResultFailedException reported() {
        return new ResultFailedException(getCause(), true);
    }

    public boolean reportedInBand() {
        return reportedInBand;
    }
}
