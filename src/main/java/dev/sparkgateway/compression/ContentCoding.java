package dev.sparkgateway.compression;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/** The HTTP content codings the gateway can apply to a result body (RFC 9110 §8.4.1). */
public enum ContentCoding {

    /** RFC 8878; {@code Accept-Encoding: zstd} (curl 7.72+, browsers since 2024). */
    ZSTD("zstd") {
        @Override
        OutputStream open(OutputStream out, int level) throws IOException {
            // flush() ends the current block (ZSTD_e_flush), not the frame: a flushed stream stays unterminated.
            return new ZstdOutputStreamNoFinalizer(out, level).setCloseFrameOnFlush(false);
        }
    },
    GZIP("gzip") {
        @Override
        OutputStream open(OutputStream out, int level) throws IOException {
            // syncFlush: flush() pushes every byte written so far through the deflater (Z_SYNC_FLUSH),
            // so rows flow to the client batch by batch instead of waiting for the deflater's window.
            return new GZIPOutputStream(out, BUFFER_BYTES, true) {
                {
                    def.setLevel(level);
                }
            };
        }
    };

    private static final int BUFFER_BYTES = 64 * 1024;

    private final String token;

    ContentCoding(String token) {
        this.token = token;
    }

    /** The coding's name in {@code Accept-Encoding} and {@code Content-Encoding}. */
    public String token() {
        return token;
    }

    /** A stream that compresses into {@code out}; closing it ends the compressed stream and closes {@code out}. */
    abstract OutputStream open(OutputStream out, int level) throws IOException;

    /** The coding named {@code name} (case-insensitive; {@code x-gzip} is gzip, RFC 9110 §8.4.1.3). */
    public static Optional<ContentCoding> byToken(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("x-gzip")) {
            return Optional.of(GZIP);
        }
        for (ContentCoding c : values()) {
            if (c.token.equals(key)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
