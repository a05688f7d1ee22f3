package dev.sparkgateway.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.api.problem.ProblemType;
import dev.sparkgateway.api.problem.Problems;
import dev.sparkgateway.api.problem.RequestException;
import dev.sparkgateway.observe.GatewayMetrics;
import dev.sparkgateway.observe.RequestLog;
import dev.sparkgateway.query.Cancellation;
import dev.sparkgateway.query.QueryResult;
import dev.sparkgateway.result.ResultEncoder;
import dev.sparkgateway.result.ResultFormats;
import dev.sparkgateway.result.ResultStream;
import dev.sparkgateway.statement.SpooledChunk;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** Picks the result format and streams a {@link QueryResult} as the response body. */
@ApplicationScoped
public class ResultResponses {

    private static final Logger LOG = Logger.getLogger(ResultResponses.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ResultFormats formats;
    private final GatewayMetrics metrics;
    private final Function<Throwable, Map<String, Object>> errorBody;

    public ResultResponses(ResultFormats formats, ObjectMapper mapper, GatewayMetrics metrics) {
        this.formats = formats;
        this.metrics = metrics;
        this.errorBody = e -> mapper.convertValue(Problems.from(e), MAP);
    }

    /** Chooses the encoder before any Spark work: {@code ?format=} wins over {@code Accept}. */
    public ResultEncoder encoder(String accept, String format) {
        if (format != null && !format.isBlank()) {
            return formats.byName(format).orElseThrow(() -> new RequestException(ProblemType.INVALID_REQUEST,
                    "unknown format '" + format + "'; use json, ndjson, csv or arrow", "/format"));
        }
        return formats.negotiate(accept).orElseThrow(() -> new RequestException(ProblemType.NOT_ACCEPTABLE,
                "None of the accepted media types (" + accept + ") is available; the gateway produces "
                        + formats.mediaTypes()));
    }

    /**
     * A cancellation that fires when the HTTP client disconnects, so the Spark operation is
     * interrupted at once, also while the gateway still waits for Spark's first answer.
     */
    public Cancellation cancelOnDisconnect(HttpServerResponse http) {
        Cancellation cancellation = new Cancellation();
        if (http != null) {
            http.closeHandler(ignored -> cancellation.clientLeft());
        }
        return cancellation;
    }

    /** The body streams straight from Spark's batches, one batch in memory at a time. */
    public Response stream(QueryResult result, ResultEncoder encoder, RequestInfo request) {
        return stream(result, result, result::cancel, result::rows, result.operationId(), encoder, request);
    }

    /** A result read back from the statement spool. */
    public Response stream(SpooledChunk chunk, String operationId, ResultEncoder encoder, RequestInfo request) {
        return stream(chunk, () -> { }, () -> { }, () -> chunk.info().rowCount(), operationId, encoder, request);
    }

    private Response stream(ResultStream result, AutoCloseable resource, Runnable onEarlyEnd, LongSupplier rows,
            String operationId, ResultEncoder encoder, RequestInfo request) {
        StreamingOutput body = raw -> {
            CountingOutputStream out = new CountingOutputStream(raw);
            int status = 200;
            try (resource) {
                encoder.encode(result, out, errorBody);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("result stream of operation %s ended early: %s", operationId, e.getMessage());
                onEarlyEnd.run();
                if (!Problems.isClientGone(e)) {
                    throw e;
                }
                // The client left mid-stream: nobody to tell, the operation is interrupted; just record it.
                status = ProblemType.CLIENT_CLOSED.status();
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                String format = formats.nameOf(encoder);
                RequestLog.log(request.requestId(), request.endpoint(), format, status, rows.getAsLong(), out.count(),
                        request.elapsed(), operationId);
                metrics.statement(request.endpoint(), format, status, request.elapsed(), rows.getAsLong(), out.count());
            }
        };
        Response.ResponseBuilder response = Response.ok(body, contentType(encoder));
        if (operationId != null) {
            response.header("X-Spark-Operation-Id", operationId);
        }
        return response.build();
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
