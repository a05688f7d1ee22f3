package dev.sparkgateway.result;

import java.io.IOException;

/**
 * A failure on the result side (Spark, or undecodable batch data) as opposed to a failure writing to
 * the client. Checked, so encoders must decide how to report it.
 */
final class ResultFailure extends Exception {

    ResultFailure(Throwable cause) {
        super(cause.getMessage(), cause, false, false);
    }

    /** {@link ResultStream#next()} with its failures marked as result failures. */
    static ArrowChunk next(ResultStream result) throws ResultFailure {
        try {
            return result.next();
        } catch (IOException | RuntimeException e) {
            throw new ResultFailure(e);
        }
    }

    /** For formats that cannot report errors in-band: the server aborts the response instead. */
    IOException asIOException() {
        Throwable cause = getCause();
        return cause instanceof IOException io ? io : new IOException("Result stream failed: " + cause.getMessage(), cause);
    }
}
