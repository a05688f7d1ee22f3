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
     *                  for formats that can carry one; other formats fail with an IOException instead
     * @throws IOException when writing to {@code out} fails, or when the result fails and the format
     *                     cannot report it in-band
     */
    void encode(ResultStream result, OutputStream out, Function<Throwable, Map<String, Object>> errorBody)
            throws IOException;
}
