package dev.sparkgateway.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.error.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads request bodies with a size limit and strict JSON: an unknown field is a 400 naming it,
 * because a typo like "paramters" would otherwise silently run the statement without them.
 */
@ApplicationScoped
public class RequestBodies {

    private final ObjectMapper json;
    private final long maxBytes;

    public RequestBodies(ObjectMapper mapper, HttpConfig config) {
        this.json = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.maxBytes = config.maxBodySize().asLongValue();
    }

    /**
     * True for JSON bodies. curl's default form type and {@code text/plain} (what Node's fetch sends
     * for a string body) count as JSON when the body starts with a brace, as SQL text never does.
     */
    public boolean isJson(HttpHeaders headers, byte[] body) {
        MediaType type = mediaType(headers);
        if (type == null || type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return startsWithBrace(body);
        }
        if (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json")) {
            return true;
        }
        if (type.getType().equals("text") && type.getSubtype().equals("plain")) {
            return startsWithBrace(body);
        }
        if (type.getType().equals("text") || type.getSubtype().equals("sql")) {
            return false;
        }
        throw new InvalidRequestException(InvalidRequestException.Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + type + " is not supported; send application/json ({\"sql\": ...}) or text/plain (the SQL itself)");
    }

    /** A body that must be JSON (a DataFrame spec, a plan): parsed as a tree, 415 for anything else. */
    public JsonNode json(HttpHeaders headers, byte[] body, String what) {
        if (!isJson(headers, body)) {
            throw new InvalidRequestException(InvalidRequestException.Reason.UNSUPPORTED_MEDIA_TYPE, "send " + what + " as application/json; Content-Type " + mediaType(headers) + " is not accepted here");
        }
        return parse(body, JsonNode.class);
    }

    static MediaType mediaType(HttpHeaders headers) {
        return mediaType(headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
    }

    /** A Content-Type header's value, null for none; an empty or unparsable one is a 415 that quotes it. */
    static MediaType mediaType(String header) {
        if (header == null) {
            return null;
        }
        if (header.isBlank()) {
            throw new InvalidRequestException(InvalidRequestException.Reason.UNSUPPORTED_MEDIA_TYPE, "The Content-Type header is empty; send"
                    + " application/json or text/plain, or leave the header out");
        }
        try {
            MediaType type = MediaType.valueOf(header.strip());
            if (type.getType().isEmpty() || type.getSubtype().isEmpty()) {
                throw new IllegalArgumentException("no type or subtype");
            }
            return type;
        } catch (RuntimeException e) {
            throw new InvalidRequestException(InvalidRequestException.Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + printable(header)
                    + "' is not a media type; send application/json or text/plain");
        }
    }

    /** At most 100 characters of a header value, control characters replaced, for a message. */
    private static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    public byte[] read(InputStream in) {
        try {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw new InvalidRequestException(InvalidRequestException.Reason.TOO_LARGE, "The request body exceeds " + maxBytes + " bytes (gateway.http.max-body-size)");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the request body", e);
        }
    }

    public <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new InvalidRequestException("The request body is empty");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new InvalidRequestException("The request body must be a JSON object, not null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(describe(e), pointer(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static boolean startsWithBrace(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    private static String pointer(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var ref : mapping.getPath()) {
                path.append('/').append(ref.getFieldName() != null
                        ? dev.sparkgateway.plan.PlanException.token(ref.getFieldName()) : ref.getIndex());
            }
            return path.toString();
        }
        return null;
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'; known fields: " + unknown.getKnownPropertyIds();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "wrong JSON type: expected " + simpleName(mismatch.getTargetType()) + location(e);
        }
        return "malformed JSON: " + e.getOriginalMessage() + location(e);
    }

    private static String simpleName(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "an object (" + type.getSimpleName() + ")";
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
