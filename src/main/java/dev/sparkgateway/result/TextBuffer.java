package dev.sparkgateway.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.apache.arrow.memory.ArrowBuf;

/**
 * A reusable, growable UTF-8 byte buffer that value writers render text into.
 * Reused across rows so scalar formatting does not allocate per value.
 */
public final class TextBuffer extends OutputStream {

    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    private byte[] bytes;
    private int length;
    private JsonGenerator json;

    public TextBuffer() {
        this(64);
    }

    public TextBuffer(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public TextBuffer reset() {
        length = 0;
        return this;
    }

    /** Drops everything from {@code newLength} on. */
    public TextBuffer truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IndexOutOfBoundsException(newLength);
        }
        length = newLength;
        return this;
    }

    /** The buffer's content decoded as UTF-8; allocates, so meant for keys and tests. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * A JSON generator appending to this buffer; nested values use it for their compact JSON text.
     * Callers flush it after each value so the bytes land here.
     */
    JsonGenerator json() {
        if (json == null) {
            try {
                json = Json.FACTORY.createGenerator(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return json;
    }

    private void ensure(int extra) {
        int needed = length + extra;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }

    @Override
    public void write(int b) {
        append((byte) b);
    }

    @Override
    public void write(byte[] src, int off, int len) {
        append(src, off, len);
    }

    public TextBuffer append(byte b) {
        ensure(1);
        bytes[length++] = b;
        return this;
    }

    public TextBuffer append(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, bytes, length, len);
        length += len;
        return this;
    }

    /** Appends a string known to be ASCII (numbers, ISO forms), skipping UTF-8 encoding. */
    public TextBuffer appendAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Copies {@code len} raw bytes from Arrow memory. */
    public TextBuffer append(ArrowBuf buf, long index, int len) {
        ensure(len);
        buf.getBytes(index, bytes, length, len);
        length += len;
        return this;
    }

    public TextBuffer appendLong(long v) {
        ensure(20); // "-9223372036854775808"
        length = NumberOutput.outputLong(v, bytes, length);
        return this;
    }

    /** Appends non-negative {@code v} left-padded with zeros to exactly {@code width} digits. */
    public TextBuffer appendDigits(long v, int width) {
        ensure(width);
        for (int i = length + width - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        length += width;
        return this;
    }

    /** Appends {@code v} in [0, 99] as exactly two digits, by table instead of division. */
    public TextBuffer append2Digits(int v) {
        ensure(2);
        bytes[length++] = TENS[v];
        bytes[length++] = ONES[v];
        return this;
    }

    /**
     * Standard-alphabet, padded base64 of {@code src[off, off+len)}: the JDK's encoder, the same
     * alphabet and padding as the JSON writer's {@code Base64Variants.MIME_NO_LINEFEEDS}.
     */
    public TextBuffer appendBase64(byte[] src, int off, int len) {
        ensure((len + 2) / 3 * 4);
        try (OutputStream encoder = Base64.getEncoder().wrap(this)) {
            encoder.write(src, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // this buffer never throws
        }
        return this;
    }
}
