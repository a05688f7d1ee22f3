package dev.sparkgateway.result;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;

/**
 * Renders the values of one Arrow vector, built once per batch per column. Reads vector memory
 * directly and reuses scratch buffers, so the hot path does not allocate per row for scalars; for
 * the same reason an instance is not thread-safe.
 *
 * <p>JSON forms (see also {@code docs/types.md}); SQL NULL at any depth is JSON {@code null}:
 * <ul>
 * <li>boolean: {@code true}/{@code false}</li>
 * <li>tinyint, smallint, int, bigint: exact JSON number, also beyond ±2^53</li>
 * <li>float, double: JSON number; NaN and infinities as the strings {@code "NaN"},
 *     {@code "Infinity"}, {@code "-Infinity"}</li>
 * <li>decimal(p,s): string in plain notation with exactly s fraction digits, {@code "12.30"}</li>
 * <li>string, char, varchar: string; binary: padded standard base64 string</li>
 * <li>date: {@code "2024-01-31"}</li>
 * <li>timestamp: UTC instant {@code "2024-01-31T12:34:56.123456Z"}; timestamp_ntz: local date-time
 *     {@code "2024-01-31T12:34:56.5"}. Seconds are always present, fraction digits only as needed.</li>
 * <li>year-month interval: ISO period {@code "P1Y2M"}, {@code "-P3M"}, {@code "P0M"};
 *     day-time interval: {@link java.time.Duration#toString()} form {@code "PT26H3M4.5S"}</li>
 * <li>array: JSON array; struct: object in field order; map: object with keys in text form</li>
 * <li>void: {@code null}; anything else: {@code getObject(row).toString()} as a string</li>
 * </ul>
 *
 * <p>The text form (CSV cells) is the same without JSON quoting; nested values use their compact
 * JSON text.
 */
public abstract class ValueWriter {

    final ValueVector vector;
    /**
     * False when this batch's vector has a validity buffer and no null in it: the per-value
     * isNull (a bounds-checked read of a validity bit, 7 % of the JSON encoder's samples) is then
     * skipped. Counted once per batch; writers are built per batch.
     */
    private final boolean mayBeNull;

    ValueWriter(ValueVector vector) {
        this.vector = vector;
        this.mayBeNull = !(vector instanceof BaseFixedWidthVector || vector instanceof BaseVariableWidthVector
                || vector instanceof BaseLargeVariableWidthVector) || vector.getNullCount() > 0;
    }

    /** Writes the value at {@code row} as one JSON value. */
    public final void writeJson(int row, JsonGenerator gen) throws IOException {
        if (mayBeNull && vector.isNull(row)) {
            gen.writeNull();
        } else {
            json(row, gen);
        }
    }

    /** Appends the text form of the value at {@code row}; returns false (appending nothing) for NULL. */
    public final boolean writeText(int row, TextBuffer out) throws IOException {
        if (mayBeNull && vector.isNull(row)) {
            return false;
        }
        text(row, out);
        return true;
    }

    /** Non-null value as JSON. */
    abstract void json(int row, JsonGenerator gen) throws IOException;

    /** Non-null value as text. */
    abstract void text(int row, TextBuffer out) throws IOException;

    public static ValueWriter forVector(ValueVector vector) {
        return forVector(vector, null);
    }

    /** @param dictionaries resolves dictionary-encoded columns; may be null when none are used */
    public static ValueWriter forVector(ValueVector vector, DictionaryProvider dictionaries) {
        DictionaryEncoding encoding = vector.getField().getDictionary();
        if (encoding != null && dictionaries != null && vector instanceof BaseIntVector indices) {
            Dictionary dictionary = dictionaries.lookup(encoding.getId());
            if (dictionary != null) {
                return new DictionaryWriter(indices, forVector(dictionary.getVector(), dictionaries));
            }
        }
        if (vector instanceof NullVector) {
            return new NullWriter(vector);
        }
        ValueWriter w = NumberWriters.create(vector);
        if (w == null) {
            w = BytesWriters.create(vector);
        }
        if (w == null) {
            w = TemporalWriters.create(vector);
        }
        if (w == null) {
            w = NestedWriters.create(vector, dictionaries);
        }
        return w != null ? w : new FallbackWriter(vector);
    }

    /** Base for values whose text is ASCII that never needs JSON escaping (numbers-as-text, ISO forms). */
    abstract static class AsciiWriter extends ValueWriter {
        private final TextBuffer scratch = new TextBuffer(40);

        AsciiWriter(ValueVector vector) {
            super(vector);
        }

        @Override
        final void json(int row, JsonGenerator gen) throws IOException {
            text(row, scratch.reset());
            gen.writeRawUTF8String(scratch.array(), 0, scratch.length());
        }
    }

    /** Nested values: JSON is native, text is the compact JSON. */
    abstract static class JsonTextWriter extends ValueWriter {
        JsonTextWriter(ValueVector vector) {
            super(vector);
        }

        @Override
        final void text(int row, TextBuffer out) throws IOException {
            JsonGenerator g = out.json();
            json(row, g);
            g.flush();
        }
    }

    static final class NullWriter extends ValueWriter {
        NullWriter(ValueVector vector) {
            super(vector);
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            gen.writeNull();
        }

        @Override
        void text(int row, TextBuffer out) {
        }
    }

    static final class DictionaryWriter extends ValueWriter {
        private final BaseIntVector indices;
        private final ValueWriter values;

        DictionaryWriter(BaseIntVector indices, ValueWriter values) {
            super(indices);
            this.indices = indices;
            this.values = values;
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            values.writeJson((int) indices.getValueAsLong(row), gen);
        }

        @Override
        void text(int row, TextBuffer out) throws IOException {
            values.writeText((int) indices.getValueAsLong(row), out);
        }
    }

    /** Unknown types: their Java object's text, and never an exception out of the hot loop. */
    static final class FallbackWriter extends ValueWriter {
        FallbackWriter(ValueVector vector) {
            super(vector);
        }

        private String describe(int row) {
            try {
                Object value = vector.getObject(row);
                if (value instanceof byte[] b) {
                    return new TextBuffer(b.length * 4 / 3 + 4).appendBase64(b, 0, b.length).toString();
                }
                return value == null ? null : value.toString();
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            String s = describe(row);
            if (s == null) {
                gen.writeNull();
            } else {
                gen.writeString(s);
            }
        }

        @Override
        void text(int row, TextBuffer out) {
            String s = describe(row);
            if (s != null) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                out.append(utf8, 0, utf8.length);
            }
        }
    }
}
