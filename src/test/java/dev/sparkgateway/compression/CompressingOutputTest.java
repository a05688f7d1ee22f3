package dev.sparkgateway.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressingOutputTest {

    private static final int MIN_SIZE = 1024;
    private static final Compression COMPRESSION = new Compression(true, List.of("zstd", "gzip"), MIN_SIZE, 1, 3);

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final AtomicInteger starts = new AtomicInteger();

    private CompressingOutput open(ContentCoding coding) {
        return COMPRESSION.open(wire, coding, starts::incrementAndGet);
    }

    private static byte[] rows(int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append('[').append(i).append(",\"row-").append(i).append("\"],\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream decoder(ContentCoding coding, byte[] bytes) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        return coding == ContentCoding.GZIP ? new GZIPInputStream(in) : new ZstdInputStream(in);
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void aBodyWithinTheMinimumSizeGoesOutAsItIsAndHeldFlushesSendNothing(ContentCoding coding) throws IOException {
        CompressingOutput out = open(coding);
        byte[] body = new byte[MIN_SIZE];
        out.write(body, 0, 600);
        out.flush();
        assertEquals(0, wire.size(), "bytes within the minimum size are held, flushes too");
        out.write(body, 600, MIN_SIZE - 600);
        out.finish();
        assertArrayEquals(body, wire.toByteArray());
        assertEquals(0, starts.get(), "no Content-Encoding for a plain body");
        assertFalse(out.compressing());
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void aLargerBodyIsCompressedAndDecodesToTheSameBytes(ContentCoding coding) throws IOException {
        CompressingOutput out = open(coding);
        byte[] body = rows(0, 50_000);
        for (int off = 0; off < body.length; off += 700) {
            out.write(body, off, Math.min(700, body.length - off));
        }
        out.finish();
        assertEquals(1, starts.get(), "Content-Encoding set once, before the first byte");
        assertTrue(wire.size() < body.length / 3, "compressed: " + wire.size() + " of " + body.length);
        try (InputStream in = decoder(coding, wire.toByteArray())) {
            assertArrayEquals(body, in.readAllBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void eachFlushDeliversEverythingWrittenSoFar(ContentCoding coding) throws IOException {
        CompressingOutput out = open(coding);
        byte[] first = rows(0, 2_000);
        out.write(first);
        out.flush();
        // A client decoding what has arrived sees every row of the first batch, before the body ends.
        try (InputStream in = decoder(coding, wire.toByteArray())) {
            assertArrayEquals(first, in.readNBytes(first.length));
        }
        out.write(rows(2_000, 4_000));
        out.finish();
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void anAbandonedBodyDeliversItsBytesButNeverEnds(ContentCoding coding) throws IOException {
        CompressingOutput out = open(coding);
        byte[] sent = rows(0, 5_000);
        byte[] error = "{\"error\":{\"status\":400}}".getBytes(StandardCharsets.UTF_8);
        out.write(sent);
        out.flush();
        out.write(error);
        out.abandon();
        int afterAbandon = wire.size();
        assertThrows(IOException.class, () -> out.write(rows(5_000, 6_000)), "the compressor is released");
        assertEquals(afterAbandon, wire.size(), "nothing reaches the client after the failure");
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        try (InputStream in = decoder(coding, wire.toByteArray())) {
            assertThrows(IOException.class, () -> in.transferTo(decoded), "a decoder reports the stream truncated");
        }
        String text = decoded.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith(new String(sent, StandardCharsets.UTF_8)) && text.endsWith("{\"error\":{\"status\":400}}"),
                "everything before the cut decodes, the error last: ..." + text.substring(Math.max(0, text.length() - 80)));
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void anAbandonedSmallBodyIsSentPlain(ContentCoding coding) throws IOException {
        CompressingOutput out = open(coding);
        out.write("{\"rows\":[[1]],\"error\":{}}".getBytes(StandardCharsets.UTF_8));
        out.abandon();
        assertEquals("{\"rows\":[[1]],\"error\":{}}", wire.toString(StandardCharsets.UTF_8));
        assertEquals(0, starts.get());
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void minimumSizeZeroCompressesEverything(ContentCoding coding) throws IOException {
        CompressingOutput out = new Compression(true, List.of("gzip", "zstd"), 0, 1, 3).open(wire, coding, starts::incrementAndGet);
        out.write('x');
        out.finish();
        assertEquals(1, starts.get());
        try (InputStream in = decoder(coding, wire.toByteArray())) {
            assertEquals("x", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void disabledOrWithoutTheHeaderNothingIsNegotiated(ContentCoding coding) {
        assertEquals(Optional.empty(), new Compression(false, List.of("zstd", "gzip"), MIN_SIZE, 1, 3).negotiate(coding.token()));
        assertEquals(Optional.empty(), COMPRESSION.negotiate(null), "no Accept-Encoding: plain, as curl without --compressed expects");
        assertEquals(Optional.of(coding), COMPRESSION.negotiate(coding.token()));
    }

    @org.junit.jupiter.api.Test
    void badSettingsFailAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new Compression(true, List.of("br"), MIN_SIZE, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> new Compression(true, List.of("gzip"), MIN_SIZE, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Compression(true, List.of("gzip"), MIN_SIZE, 1, 22));
    }
}
