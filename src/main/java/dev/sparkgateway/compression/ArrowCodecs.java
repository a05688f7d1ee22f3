package dev.sparkgateway.compression;

import java.util.Locale;
import java.util.Optional;
import org.apache.arrow.compression.ZstdCompressionCodec;
import org.apache.arrow.vector.compression.CompressionCodec;

/**
 * Arrow IPC body compression a client asks for with {@code Accept: application/vnd.apache.arrow.stream;
 * codec=zstd|lz4|none}: each record batch's buffers are compressed (the IPC format's
 * BodyCompression), so the stream stays an Arrow stream that any reader with codecs decodes.
 */
public final class ArrowCodecs {

    public static final String NAMES = "zstd, lz4 or none";

    private ArrowCodecs() {
    }

    /**
     * The codec named {@code name}; empty for {@code none} (batches pass through as Spark sent them).
     *
     * @throws IllegalArgumentException for a name that is none of {@link #NAMES}
     */
    public static Optional<CompressionCodec> byName(String name, int zstdLevel) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "none":
                return Optional.empty();
            case "zstd":
                return Optional.of(new ZstdCompressionCodec(zstdLevel));
            case "lz4":
            case "lz4_frame":
                return Optional.of(new Lz4FrameCodec());
            default:
                throw new IllegalArgumentException("unknown Arrow codec '" + name + "'; use " + NAMES);
        }
    }
}
