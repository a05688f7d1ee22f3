package dev.sparkgateway.result;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Function;

/** Writes one result format. Implementations are stateless and thread-safe. */
public interface ResultEncoder {

    String mediaType();

    /** Whether an HTTP content coding (gzip, zstd) may apply; Arrow compresses inside the stream instead. */
    default boolean compressible() {
        return true;
    }

    /**
     * This format as the parameters of the client's matching media range ask for it (e.g. Arrow's
     * {@code codec}); parameters a format does not know are ignored.
     *
     * @throws IllegalArgumentException when a known parameter has a value the format cannot produce
     */
    default ResultEncoder withParameters(Map<String, String> parameters) {
        return this;
    }

    /**
     * Streams the result to {@code out} without closing it.
     *
     * @param errorBody turns a mid-stream failure into an RFC 9457 problem object (serialized as JSON)
     *                  for formats that can carry one
     * @throws ResultFailedException when the result fails; formats that can carry the error have written
     *                               it first, and the caller must still cut the body off
     * @throws IOException           when writing to {@code out} fails
     */
    void encode(ResultStream result, OutputStream out, Function<Throwable, Map<String, Object>> errorBody)
            throws IOException, ResultFailedException;
}
