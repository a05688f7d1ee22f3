package dev.sparkgateway.result;

import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The available result encoders and HTTP content negotiation among them. The first encoder is the
 * default (JSON for {@link #standard}); it answers a missing Accept header and wins wildcard ties.
 */
public final class ResultFormats {

    private final Map<String, ResultEncoder> byName;
    private final List<ResultEncoder> encoders;

    /** @param byName short name (for {@code ?format=}) to encoder, in preference order */
    public ResultFormats(Map<String, ResultEncoder> byName) {
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("at least one encoder is required");
        }
        this.byName = new LinkedHashMap<>(byName);
        this.encoders = List.copyOf(byName.values());
    }

    /** JSON (default), NDJSON, CSV and Arrow, all sharing {@code allocator}; Arrow's zstd at level 3. */
    public static ResultFormats standard(BufferAllocator allocator) {
        return standard(allocator, ArrowStreamEncoder.DEFAULT_ZSTD_LEVEL);
    }

    /** As {@link #standard(BufferAllocator)}, with Arrow's {@code codec=zstd} at {@code arrowZstdLevel}. */
    public static ResultFormats standard(BufferAllocator allocator, int arrowZstdLevel) {
        Map<String, ResultEncoder> m = new LinkedHashMap<>();
        m.put("json", new JsonEncoder(allocator));
        m.put("ndjson", new NdjsonEncoder(allocator));
        m.put("csv", new CsvEncoder(allocator));
        m.put("arrow", new ArrowStreamEncoder(allocator, arrowZstdLevel));
        return new ResultFormats(m);
    }

    public List<ResultEncoder> encoders() {
        return encoders;
    }

    public ResultEncoder defaultEncoder() {
        return encoders.get(0);
    }

    /** The media types offered, in preference order (for 406 messages). */
    public List<String> mediaTypes() {
        List<String> types = new ArrayList<>(encoders.size());
        for (ResultEncoder e : encoders) {
            types.add(e.mediaType());
        }
        return types;
    }

    /** The short name of an encoder of this registry (for logs and metric tags). */
    public String nameOf(ResultEncoder encoder) {
        for (Map.Entry<String, ResultEncoder> e : byName.entrySet()) {
            if (e.getValue().mediaType().equals(encoder.mediaType())) {
                return e.getKey();
            }
        }
        return encoder.mediaType();
    }

    /** The short names accepted by {@link #byName}, in preference order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Looks up a short name ("json", "ndjson", "csv", "arrow") or a media type, ignoring case. */
    public Optional<ResultEncoder> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        ResultEncoder e = byName.get(key);
        if (e != null) {
            return Optional.of(e);
        }
        return encoders.stream().filter(x -> x.mediaType().equals(key)).findFirst();
    }

    /**
     * Picks the encoder for an Accept header: highest q-value wins, where each encoder takes the q of
     * its most specific matching range; ties go to the more specific range, then the range listed
     * first, then our preference order. The winning range's parameters then select the format's
     * variant ({@link ResultEncoder#withParameters}). Empty means 406 Not Acceptable.
     *
     * @throws IllegalArgumentException when the winning range asks for a variant the format lacks
     */
    public Optional<ResultEncoder> negotiate(String acceptHeader) {
        List<MediaRange> ranges = MediaRange.parseAccept(acceptHeader);
        if (ranges.isEmpty()) {
            return Optional.of(defaultEncoder());
        }
        ResultEncoder best = null;
        MediaRange bestRange = null;
        for (ResultEncoder encoder : encoders) {
            MediaRange range = MediaRange.bestMatch(ranges, MediaType.valueOf(encoder.mediaType()));
            if (range == null || range.q() <= 0) {
                continue;
            }
            if (bestRange == null || range.beats(bestRange)) {
                best = encoder;
                bestRange = range;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.withParameters(bestRange.parameters()));
    }
}
