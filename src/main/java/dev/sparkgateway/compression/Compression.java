package dev.sparkgateway.compression;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Content-coding negotiation and compressing bodies, as {@link CompressionConfig} sets them. */
@ApplicationScoped
public class Compression {

    private final boolean enabled;
    private final List<ContentCoding> offered;
    private final int minSize;
    private final int gzipLevel;
    private final int zstdLevel;

    @Inject
    public Compression(CompressionConfig config) {
        this(config.enabled(), config.codecs(), config.minSize().asLongValue(), config.gzipLevel(), config.zstdLevel());
    }

    public Compression(boolean enabled, List<String> codecs, long minSize, int gzipLevel, int zstdLevel) {
        List<ContentCoding> list = new ArrayList<>();
        for (String name : codecs) {
            ContentCoding coding = ContentCoding.byToken(name).orElseThrow(() -> new IllegalArgumentException(
                    "gateway.compression.codecs: unknown coding '" + name + "'; use zstd or gzip"));
            if (!list.contains(coding)) {
                list.add(coding);
            }
        }
        check(minSize >= 0 && minSize <= 16 * 1024 * 1024, "gateway.compression.min-size must be 0 to 16M");
        check(gzipLevel >= 1 && gzipLevel <= 9, "gateway.compression.gzip-level must be 1 to 9");
        check(zstdLevel >= 1 && zstdLevel <= 19, "gateway.compression.zstd-level must be 1 to 19");
        this.enabled = enabled;
        this.offered = List.copyOf(list);
        this.minSize = (int) minSize;
        this.gzipLevel = gzipLevel;
        this.zstdLevel = zstdLevel;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Whether responses may be compressed at all (then they vary by {@code Accept-Encoding}). */
    public boolean enabled() {
        return enabled && !offered.isEmpty();
    }

    /** The coding for a request's {@code Accept-Encoding}; empty: send the body as it is (also without the header). */
    public Optional<ContentCoding> negotiate(String acceptEncoding) {
        if (!enabled() || acceptEncoding == null) {
            return Optional.empty();
        }
        return AcceptEncoding.parse(acceptEncoding).choose(offered);
    }

    /** A body compressed with {@code coding} once it outgrows the minimum size; {@code onStart} runs just before. */
    public CompressingOutput open(OutputStream out, ContentCoding coding, Runnable onStart) {
        return new CompressingOutput(out, coding, coding == ContentCoding.GZIP ? gzipLevel : zstdLevel, minSize, onStart);
    }

    /** Level of zstd, for Arrow's ZSTD body compression too. */
    public int zstdLevel() {
        return zstdLevel;
    }
}
