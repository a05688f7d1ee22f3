package dev.sparkgateway.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;

/** Reads a JSON result body ({"schema", "rows", "rowCount", "truncated"}) as a stream, never whole. */
public final class JsonResultStream {

    /** Checks one row; the parser stands on its first value, and may move on within the row. */
    @FunctionalInterface
    public interface RowCheck {
        void check(long index, JsonParser parser) throws IOException;
    }

    /** The rows read, and the document's rowCount (-1 if absent) and truncated (null if absent). */
    public record Summary(long rows, long rowCount, Boolean truncated) {
    }

    private JsonResultStream() {
    }

    public static Summary read(InputStream body, RowCheck rowCheck) throws IOException {
        long rows = 0;
        long rowCount = -1;
        Boolean truncated = null;
        try (JsonParser parser = new JsonFactory().createParser(body)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() != JsonToken.FIELD_NAME) {
                    continue;
                }
                switch (parser.currentName()) {
                    case "rows" -> {
                        parser.nextToken();
                        while (parser.nextToken() == JsonToken.START_ARRAY) {
                            parser.nextToken();
                            rowCheck.check(rows++, parser);
                            while (parser.currentToken() != JsonToken.END_ARRAY) {
                                parser.skipChildren();
                                parser.nextToken();
                            }
                        }
                    }
                    case "rowCount" -> {
                        parser.nextToken();
                        rowCount = parser.getLongValue();
                    }
                    case "truncated" -> {
                        parser.nextToken();
                        truncated = parser.getBooleanValue();
                    }
                    default -> {
                    }
                }
            }
        }
        return new Summary(rows, rowCount, truncated);
    }
}
