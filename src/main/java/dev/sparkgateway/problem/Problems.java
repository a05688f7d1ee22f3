package dev.sparkgateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.error.ClientGoneException;
import dev.sparkgateway.error.ConflictException;
import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.error.InternalException;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.error.LimitExceededException;
import dev.sparkgateway.error.NotFoundException;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.error.StoppedException;
import dev.sparkgateway.error.UnavailableException;
import dev.sparkgateway.observe.LogText;
import dev.sparkgateway.observe.LogThrottle;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** The one place that turns any failure into a {@link Problem}. */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);
    private static final LogThrottle THROTTLE = new LogThrottle(Duration.ofMinutes(1));

    private Problems() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Answers a request with the problem for {@code error} and its headers, for the few responses
     * written before JAX-RS: authentication and the request rate.
     */
    public static void respond(RoutingContext context, Throwable error) {
        if (context.response().ended()) {
            return;
        }
        Problem body = from(error).withInstance(context.normalizedPath());
        context.response().setStatusCode(body.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        headers(error).forEach(context.response()::putHeader);
        try {
            context.response().end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Problem is always serializable", e);
        }
    }

    /** The headers a problem response carries: {@code Retry-After} and a 401's {@code WWW-Authenticate}. */
    public static Map<String, String> headers(Throwable error) {
        Throwable e = unwrap(error);
        Map<String, String> headers = new LinkedHashMap<>();
        retryAfterSeconds(e).ifPresent(seconds -> headers.put("Retry-After", Long.toString(seconds)));
        if (e instanceof DeniedException denied && denied.reason() == DeniedException.Reason.UNAUTHENTICATED) {
            headers.put("WWW-Authenticate", denied.challenge());
        }
        return headers;
    }

    public static Problem from(Throwable error) {
        return log(describe(error), unwrap(error));
    }

    /**
     * The one log policy for failures: the gateway's own faults (500) once with their stack trace,
     * Spark's internal errors and capacity, reachability and time limits (502-504) as one WARN line,
     * a caller's errors (4xx) at DEBUG (the request line already records their status). Repeats of one
     * kind within a minute are counted, not logged, so a caller cannot flood the log.
     */
    public static Problem log(Problem problem, Throwable e) {
        if (problem.status() < 500) {
            LOG.debugf("%d %s: %s", problem.status(), problem.title(), LogText.escape(e.getMessage()));
            return problem;
        }
        boolean internal = problem.status() == 500;
        String kind = internal ? e.getClass().getName() + "@" + topFrame(e) : problem.type();
        long suppressed = THROTTLE.admit(kind);
        if (suppressed < 0) {
            return problem;
        }
        String more = suppressed > 0 ? " (" + suppressed + " more like it in the last minute not logged)" : "";
        if (internal) {
            LOG.errorf(e, "%s: %s%s", problem.title(), LogText.escape(e.getMessage()), more);
        } else {
            LOG.warnf("%s: %s%s", problem.title(), LogText.escape(e.getMessage()), more);
        }
        return problem;
    }

    private static String topFrame(Throwable e) {
        StackTraceElement[] frames = e.getStackTrace();
        return frames.length == 0 ? "?" : frames[0].toString();
    }

    /** The problem without logging it: for failures reported elsewhere (e.g. inside a statement's state). */
    public static Problem describe(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof SparkException spark) {
            return spark(spark);
        }
        if (e instanceof InvalidRequestException invalid) {
            return Problem.of(invalid(invalid.reason()), invalid.getMessage()).withPointer(invalid.pointer());
        }
        if (e instanceof GatewayException gateway) {
            return Problem.of(type(gateway), gateway.getMessage());
        }
        if (e instanceof JsonProcessingException json) {
            return json(json);
        }
        if (e instanceof WebApplicationException web) {
            return web(web);
        }
        return Problem.of(ProblemType.INTERNAL, "The gateway failed unexpectedly; the log has the details");
    }

    /** The problem type of each gateway error (Spark's own and invalid requests aside). */
    private static ProblemType type(GatewayException e) {
        if (e instanceof DeniedException denied) {
            return switch (denied.reason()) {
                case UNAUTHENTICATED -> ProblemType.UNAUTHENTICATED;
                case FORBIDDEN -> ProblemType.FORBIDDEN;
                case POLICY -> ProblemType.POLICY_DENIED;
            };
        }
        if (e instanceof NotFoundException) {
            return ProblemType.NOT_FOUND;
        }
        if (e instanceof ConflictException conflict) {
            return switch (conflict.reason()) {
                case RESULT_UNAVAILABLE -> ProblemType.RESULT_UNAVAILABLE;
                case IDEMPOTENCY -> ProblemType.IDEMPOTENCY_CONFLICT;
                case SESSION_LOST -> ProblemType.SESSION_LOST;
            };
        }
        if (e instanceof LimitExceededException limit) {
            return switch (limit.reason()) {
                case RATE -> ProblemType.RATE_LIMITED;
                case RUNNING -> ProblemType.TOO_MANY_STATEMENTS;
                case SESSIONS -> ProblemType.POOL_EXHAUSTED;
                case SPOOL -> ProblemType.SPOOL_FULL;
                case NAMED_SESSIONS -> ProblemType.TOO_MANY_SESSIONS;
            };
        }
        if (e instanceof UnavailableException unavailable) {
            return switch (unavailable.reason()) {
                case SPARK_POLICY -> ProblemType.SPARK_POLICY_MISSING;
                case ISSUER -> ProblemType.ISSUER_UNAVAILABLE;
                case INSTANCE_LOST -> ProblemType.GATEWAY_INSTANCE_LOST;
                case STATEMENT_STORE -> ProblemType.STATEMENT_STORE_UNAVAILABLE;
            };
        }
        if (e instanceof StoppedException) {
            return ProblemType.SPARK_TIMEOUT;
        }
        if (e instanceof ClientGoneException) {
            return ProblemType.CLIENT_CLOSED;
        }
        if (e instanceof InternalException internal) {
            return internal.origin() == InternalException.Origin.SPARK ? ProblemType.SPARK_INTERNAL : ProblemType.INTERNAL;
        }
        return ProblemType.INTERNAL;
    }

    private static ProblemType invalid(InvalidRequestException.Reason reason) {
        return switch (reason) {
            case INVALID -> ProblemType.INVALID_REQUEST;
            case UNSUPPORTED_MEDIA_TYPE -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case NOT_ACCEPTABLE -> ProblemType.NOT_ACCEPTABLE;
            case TOO_LARGE -> ProblemType.PAYLOAD_TOO_LARGE;
        };
    }

    /** Seconds to tell the client to wait, for problems worth retrying. */
    public static Optional<Long> retryAfterSeconds(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof GatewayException gateway) {
            return gateway.retryAfterSeconds();
        }
        return Optional.empty();
    }

    private static Problem spark(SparkException e) {
        ProblemType type = sparkType(e);
        String detail = e.getMessage();
        return new Problem(type.uri(), type.title(), type.status(), detail, null, e.errorClass().orElse(null),
                e.sqlState().orElse(null), e.errorId().orElse(null), e.messageParameters(), null, null);
    }

    /** The error class of a denial by the gateway's SQL policy extension inside Spark (spark-policy/). */
    static final String POLICY_DENIED_CLASS = "GATEWAY_POLICY_DENIED";

    static ProblemType sparkType(SparkException e) {
        if (e.errorClass().filter(POLICY_DENIED_CLASS::equals).isPresent()) {
            return ProblemType.POLICY_DENIED;
        }
        if (e.isUnauthenticated()) {
            return ProblemType.SPARK_CREDENTIALS;
        }
        if (e.isUnavailable() || e.isStaleSession()) {
            return ProblemType.SPARK_UNAVAILABLE;
        }
        if (e.isInvalidInput()) {
            return ProblemType.SPARK_ERROR;
        }
        if (e.isCancelled() || e.isTimeout()) {
            return ProblemType.SPARK_TIMEOUT;
        }
        String state = e.sqlState().orElse("");
        if (e.errorClass().isEmpty() || state.startsWith("XX")) {
            return switch (e.code()) {
                case INVALID_ARGUMENT -> ProblemType.SPARK_ERROR;
                default -> ProblemType.SPARK_INTERNAL;
            };
        }
        // SQLSTATE classes: 42P06/42P07/42710 "already exists", 23 integrity violations.
        if (state.equals("42P06") || state.equals("42P07") || state.equals("42710") || state.startsWith("23")) {
            return ProblemType.SPARK_CONFLICT;
        }
        if (state.startsWith("08")) {
            return ProblemType.SPARK_UNAVAILABLE;
        }
        return ProblemType.SPARK_ERROR;
    }

    /** Bodies are parsed by RequestBodies, which names the field; this covers any other JSON on the way. */
    private static Problem json(JsonProcessingException e) {
        return Problem.of(ProblemType.INVALID_REQUEST, "malformed JSON: " + e.getOriginalMessage());
    }

    private static Problem web(WebApplicationException e) {
        if (e.getResponse().getStatus() == 404) {
            return Problem.of(ProblemType.NOT_FOUND, "No such resource");
        }
        if (e instanceof NotAllowedException) {
            return Problem.of(ProblemType.METHOD_NOT_ALLOWED, "Method not allowed here; allowed: "
                    + e.getResponse().getAllowedMethods());
        }
        if (e instanceof NotSupportedException) {
            return Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, e.getMessage() != null && !e.getMessage().startsWith("HTTP")
                    ? e.getMessage() : "Send application/json or text/plain");
        }
        if (e instanceof NotAcceptableException) {
            return Problem.of(ProblemType.NOT_ACCEPTABLE, e.getMessage());
        }
        int status = e.getResponse().getStatus();
        ProblemType type = status >= 500 ? ProblemType.INTERNAL : ProblemType.INVALID_REQUEST;
        Problem base = Problem.of(type, e.getMessage());
        return new Problem(base.type(), base.title(), status, base.detail(), null, null, null, null, null, null, null);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable current = e;
        for (int i = 0; i < 5 && current.getCause() != null
                && (current instanceof CompletionException
                || current instanceof UncheckedIOException
                || current instanceof ProcessingException); i++) {
            current = current.getCause();
        }
        return current;
    }
}
