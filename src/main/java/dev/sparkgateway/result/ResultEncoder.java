package dev.sparkgateway.result;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Function;

/** Writes one result format. Implementations are stateless and thread-safe. */
public interface ResultEncoder {

    String mediaType();

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
