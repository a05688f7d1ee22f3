package dev.sparkgateway.api;

import dev.sparkgateway.compression.CompressingOutput;
import dev.sparkgateway.compression.Compression;
import dev.sparkgateway.compression.ContentCoding;
import dev.sparkgateway.error.InvalidRequestException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.problem.ProblemType;
import dev.sparkgateway.problem.Problems;
import dev.sparkgateway.error.ClientGoneException;
import dev.sparkgateway.query.Cancellation;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.result.ResultEncoder;
import dev.sparkgateway.result.ResultFailedException;
import dev.sparkgateway.result.ResultFormats;
import dev.sparkgateway.result.ResultStream;
import dev.sparkgateway.statement.SpooledChunk;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** Picks the result format and streams a {@link QueryResult} as the response body. */
@ApplicationScoped
public class ResultResponses {

    private static final Logger LOG = Logger.getLogger(ResultResponses.class);
    /** How long a cut body may take to drain to a client before its connection is dropped outright. */
    private static final Duration ABORT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final String ROW_COUNT_TRAILER = "X-Result-Row-Count";
    public static final String TRUNCATED_TRAILER = "X-Result-Truncated";
    private static final String TRAILERS = ROW_COUNT_TRAILER + ", " + TRUNCATED_TRAILER;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ResultFormats formats;
    private final RequestOutcomes outcomes;
    private final Compression compression;
    private final Function<Throwable, Map<String, Object>> errorBody;

    public ResultResponses(ResultFormats formats, ObjectMapper mapper, RequestOutcomes outcomes, Compression compression) {
        this.formats = formats;
        this.outcomes = outcomes;
        this.compression = compression;
        this.errorBody = e -> mapper.convertValue(Problems.from(e), MAP);
    }

    /** Chooses the encoder before any Spark work: {@code ?format=} wins over {@code Accept}. */
    public ResultEncoder encoder(String accept, String format) {
        if (format != null && !format.isBlank()) {
            return formats.byName(format).orElseThrow(() -> new InvalidRequestException("unknown format '" + format + "'; use json, ndjson, csv or arrow", "/format"));
        }
        Optional<ResultEncoder> negotiated;
        try {
            negotiated = formats.negotiate(accept);
        } catch (IllegalArgumentException e) {
            // A format's parameter with a value it cannot produce, e.g. Arrow's codec=brotli.
            throw new InvalidRequestException(InvalidRequestException.Reason.NOT_ACCEPTABLE, e.getMessage());
        }
        return negotiated.orElseThrow(() -> new InvalidRequestException(InvalidRequestException.Reason.NOT_ACCEPTABLE, "None of the accepted media types (" + accept + ") is available; the gateway produces "
                        + formats.mediaTypes()));
    }

    /**
     * A cancellation that fires when the HTTP client disconnects, so the Spark operation is
     * interrupted at once, also while the gateway still waits for Spark's first answer.
     */
    public Cancellation cancelOnDisconnect(HttpServerRequest http) {
        Cancellation cancellation = new Cancellation();
        if (http != null) {
            http.response().closeHandler(ignored -> cancellation.clientLeft());
        }
        return cancellation;
    }

    /** The body streams straight from Spark's batches, one batch in memory at a time. */
    public Response stream(QueryResult result, ResultEncoder encoder, RequestInfo request, HttpServerRequest http) {
        return stream(result, result, result::cancel, result::rows, result.operationId(), encoder, request, http);
    }

    /** A result read back from the statement spool. */
    public Response stream(SpooledChunk chunk, String operationId, ResultEncoder encoder, RequestInfo request,
            HttpServerRequest http) {
        return stream(chunk, () -> { }, () -> { }, () -> chunk.info().rowCount(), operationId, encoder, request, http);
    }

    private Response stream(ResultStream result, AutoCloseable resource, Runnable onEarlyEnd, LongSupplier rows,
            String operationId, ResultEncoder encoder, RequestInfo request, HttpServerRequest http) {
        boolean varies = http != null && encoder.compressible() && compression.enabled();
        Optional<ContentCoding> coding = varies ? compression.negotiate(acceptEncoding(http)) : Optional.empty();
        StreamingOutput body = raw -> {
            ClientOutput out = new ClientOutput(raw, http == null ? () -> false : http.response()::closed);
            // Content-Encoding is set only once the body outgrows the minimum size, before its first byte.
            CompressingOutput compressed = coding.map(c -> compression.open(out, c,
                    () -> http.response().putHeader(HttpHeaders.CONTENT_ENCODING, c.token()))).orElse(null);
            int status = 200;
            try (resource) {
                encoder.encode(result, compressed == null ? out : compressed, errorBody);
                if (compressed != null) {
                    compressed.finish();
                }
                trailers(http, rows.getAsLong(), result.truncated());
            } catch (Exception e) {
                onEarlyEnd.run();
                abandon(compressed);
                status = endedEarly(e, out, operationId);
                if (status != ProblemType.CLIENT_CLOSED.status()) {
                    abort(http);
                }
            } finally {
                outcomes.record(request, formats.nameOf(encoder), status, rows.getAsLong(), out.count(), operationId);
            }
        };
        Response.ResponseBuilder response = Response.ok(body, contentType(encoder)).header("Trailer", TRAILERS);
        if (varies) {
            response.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        }
        if (operationId != null) {
            response.header("X-Spark-Operation-Id", operationId);
        }
        return response.build();
    }

    /** Every {@code Accept-Encoding} line of the request, joined (null when there is none). */
    private static String acceptEncoding(HttpServerRequest http) {
        List<String> values = http.headers().getAll(HttpHeaders.ACCEPT_ENCODING);
        return values.isEmpty() ? null : String.join(",", values);
    }

    /**
     * A failed body's compressed stream is delivered up to the failure (an in-band error included)
     * but never ended, so no decoder takes it for complete; then {@link #abort} cuts the HTTP body.
     */
    private static void abandon(CompressingOutput compressed) {
        if (compressed == null) {
            return;
        }
        try {
            compressed.abandon();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("flushing a failed compressed body: %s", e.toString());
        }
    }

    /**
     * Row count and truncation as HTTP trailers, known only once the last row is out: the only place
     * CSV and Arrow can say that a {@code limit} cut the result (JSON and NDJSON also say it in-band).
     * A body cut off by a failure has no trailers, so their presence also marks a complete body.
     */
    private static void trailers(HttpServerRequest http, long rows, boolean truncated) {
        if (http != null && !http.response().closed()) {
            http.response().trailers().set(ROW_COUNT_TRAILER, Long.toString(rows)).set(TRUNCATED_TRAILER, Boolean.toString(truncated));
        }
    }

    /**
     * The status to record for a body that ended early. The client left only if writing to it failed
     * or its disconnect cancelled the operation; anything else is the result's failure, logged as such.
     */
    private static int endedEarly(Exception e, ClientOutput out, String operationId) {
        Throwable cause = e instanceof ResultFailedException f ? f.getCause() : e;
        if (out.clientFailed() || cause instanceof ClientGoneException) {
            LOG.debugf("operation %s: the client left mid-body (%d bytes sent)", operationId, out.count());
            return ProblemType.CLIENT_CLOSED.status();
        }
        return Problems.log(Problems.describe(cause), cause).status();
    }

    /**
     * Cuts the body off after a failure so it cannot pass for complete: the connection closes without
     * the terminating chunk (HTTP/1.1) or the stream is reset (HTTP/2). Waits until the connection is
     * really closed: Vert.x closes it only after the bytes already written are out, and until then
     * JAX-RS, ending the response as this method returns, could still send the terminating chunk.
     */
    private static void abort(HttpServerRequest http) {
        if (http == null || http.response().closed()) {
            return;
        }
        if (http.version() == HttpVersion.HTTP_2) {
            http.response().reset();
            return;
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        http.connection().closeHandler(ignored -> closed.complete(null));
        http.response().reset();
        try {
            closed.get(ABORT_DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The client stopped reading, so the bytes before the cut never drain: drop them.
            http.connection().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            http.connection().close();
        } catch (ExecutionException e) {
            http.connection().close();
        }
    }

    /** The problem+json object for a failure, as a map (for bodies that embed one). */
    public Map<String, Object> problem(Throwable error) {
        return errorBody.apply(error);
    }

    private static String contentType(ResultEncoder encoder) {
        String type = encoder.mediaType();
        if (type.startsWith("text/")) {
            return type + "; charset=utf-8";
        }
        return type;
    }
}
