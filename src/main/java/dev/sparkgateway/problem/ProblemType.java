package dev.sparkgateway.problem;

import java.util.Locale;
/**
 * Every kind of problem the gateway reports, with when it happens and what to do about it: the
 * text that {@code GET /problems/{name}} serves (RFC 9457 §3.1.1: a type URI should resolve to
 * documentation). docs/errors.md repeats it in its table; ProblemTypeDocsTest keeps both equal.
 */
public enum ProblemType {
    INVALID_REQUEST(400, "Invalid request",
            "malformed JSON, unknown or mistyped field, empty SQL, bad parameter (`pointer` names it, e.g. `/parameters/since/value`), negative `limit`, unknown `?format=` or `?mode=`, an invalid DataFrame spec (`pointer` e.g. `/ops/3/join/on`, see [dataframe-spec.md](dataframe-spec.md)), an invalid or command `/v1/plan`",
            "Fix the request: `detail` says what is wrong and `pointer` (a JSON Pointer into the body) names the value; do not retry it unchanged"),
    UNAUTHENTICATED(401, "Authentication required",
            "no `Authorization: Bearer ...` header, not a Bearer header, an unknown or revoked API key, or a token that is expired, not yet valid, for another audience or issuer, or not signed by the issuer's keys (`gateway.auth.mode` `api-key` or `oidc`). Comes with `WWW-Authenticate: Bearer`",
            "Send `Authorization: Bearer <key or token>`; get a new key or token if yours was rotated or expired"),
    FORBIDDEN(403, "Not allowed",
            "the principal is authenticated but its roles do not allow the request (e.g. `/q/metrics` when `gateway.auth.protect-metrics` is on needs `admin` or `metrics`)",
            "Use a principal with the role the `detail` names, or ask an operator for it"),
    POLICY_DENIED(403, "Denied by the SQL policy",
            "the statement (SQL, DataFrame spec or plan, through views, CTEs and subqueries alike) uses something a restricted (non-admin) principal may not: `reflect`/`java_method`/`try_reflect`, `TRANSFORM ... USING`, `ADD JAR/FILE/ARCHIVE`, class-backed functions, files by path outside the allowed roots, JDBC, setting the policy's own or static/server confs; or a raw plan with user-defined code (UDFs) or plugin extensions. `errorClass` is `GATEWAY_POLICY_DENIED`, `detail` names what was denied ([security.md](security.md))",
            "Rewrite the statement without it (read catalog tables instead of paths), or ask an operator to run it as an `admin` principal"),
    SPARK_ERROR(400, "Spark rejected the statement",
            "Spark rejected the statement: syntax (`PARSE_SYNTAX_ERROR`, 42601), unknown table/column (42P01/42703), type errors, runtime data errors such as `DIVIDE_BY_ZERO` (22012), unbound parameters; invalid plan arguments Spark reports without an error class (a range `step` of 0, a negative `numPartitions`, an unset literal: `IllegalArgumentException` or `InvalidPlanInput` on the server)",
            "Fix the statement: `errorClass`, `sqlState` and `messageParameters` are Spark's own, `detail` its message; do not retry it unchanged"),
    SPARK_CONFLICT(409, "Spark reports a conflict",
            "SQLSTATE 42P06/42P07/42710 (already exists) or class 23",
            "Choose another name, drop the existing object first, or use `IF NOT EXISTS` / `IF EXISTS`"),
    NOT_FOUND(404, "Not found",
            "no such endpoint; no such statement or chunk. For a statement the `detail` says why when known: deleted (`DELETE`), expired (result TTL), evicted (`max-stored` reached, oldest finished first), or else never existed or the gateway restarted. Under `/v1/catalogs` no such catalog, database or table: the `detail` names the first part missing ([catalog.md](catalog.md))",
            "Check the path; a statement that was evicted, expired or lost in a restart must be submitted again; `GET /v1/catalogs/...` lists the catalogs, databases and tables there are"),
    RESULT_UNAVAILABLE(409, "Result not available",
            "a chunk not spooled yet (`Retry-After: 1`), or of a statement that FAILED or was CANCELED",
            "Retry after `Retry-After` seconds if the statement still runs; otherwise read the statement's `state` and `error`"),
    IDEMPOTENCY_CONFLICT(422, "Idempotency-Key reused for a different request",
            "an `Idempotency-Key` reused with a different statement",
            "Use a new `Idempotency-Key` for a different statement"),
    TOO_MANY_STATEMENTS(429, "Too many statements",
            "`gateway.statements.max-running` statements are running; `Retry-After` (1–60 s) is estimated from recent run times ([statements.md](statements.md#bounds-and-lifetimes)). Finished statements never cause it. Also when the caller's own quota is used up (the `detail` names it): `gateway.quotas.max-running-statements` of its statements running or pending, or `gateway.quotas.max-running-queries` of its synchronous queries (`/v1/sql`, `/v1/dataframe`, `/v1/plan`) running ([security.md](security.md#quotas))",
            "Retry after `Retry-After` seconds, or cancel one of your running statements (`DELETE`)"),
    RATE_LIMITED(429, "Too many requests",
            "the principal sent more requests than its quota allows: `gateway.quotas.requests-per-second` sustained, `gateway.quotas.burst` at once, per role ([security.md](security.md#quotas)). `Retry-After` says when its next request is admitted; other principals are not affected",
            "Wait `Retry-After` seconds and send fewer requests (poll less often, use `/v1/statements/{id}/events`), or ask an operator for a role with a higher rate"),
    TOO_MANY_SESSIONS(429, "Too many sessions",
            "`POST /v1/sessions` while the principal already holds `gateway.sessions.max-per-principal` named sessions ([sessions.md](sessions.md#named-sessions)); no `Retry-After`: sessions end only when deleted or expired",
            "Delete a session you no longer need (`DELETE /v1/sessions/{id}`; `GET /v1/sessions` lists yours), or reuse one"),
    SESSION_LOST(410, "Session lost",
            "a request joined a named session (`X-Session-Id`) whose state the Spark server no longer has: it restarted, or released the session itself. The gateway does not retry on a fresh session, which would silently drop the session's temp views, settings and current database ([sessions.md](sessions.md#lost-sessions))",
            "Create a new session (`POST /v1/sessions`), set up its state again and repeat the request there; `DELETE` the lost one (it also expires by itself)"),
    METHOD_NOT_ALLOWED(405, "Method not allowed",
            "wrong HTTP method",
            "Use the method the endpoint takes (the `Allow` header lists them)"),
    NOT_ACCEPTABLE(406, "No acceptable result format",
            "no `Accept`ed media type is produced (JSON, NDJSON, CSV, Arrow), or Arrow's `codec` names none of `zstd`, `lz4`, `none`",
            "Send an `Accept` naming one of the formats, or use `?format=json`, `ndjson`, `csv` or `arrow`; for Arrow, `codec=zstd` or `lz4` (docs/compression.md)"),
    PAYLOAD_TOO_LARGE(413, "Request body too large",
            "body over `gateway.http.max-body-size` (1 MiB)",
            "Send a smaller body: pass large data as a table or file Spark reads, not inline"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported request media type",
            "body neither JSON nor text (or not JSON where only JSON is taken: `/v1/dataframe`, `/v1/plan`); an empty `Content-Type:` header or one that is no media type (`garbage`, `a/`), on any endpoint",
            "Send `Content-Type: application/json` (or `text/plain` with the SQL where SQL is taken)"),
    /** Never seen by the client (it left); recorded in logs and metrics, as nginx does with 499. */
    CLIENT_CLOSED(499, "Client closed the request",
            "never sent: the HTTP client disconnected (writing to it failed, or its connection closed while Spark computed) and its Spark operation was interrupted. Logged and counted under this status (as nginx does) only for clients that left; a Spark failure is never recorded as 499",
            "Nothing: no client sees it; keep the connection open until the body ends"),
    INTERNAL(500, "Internal gateway error",
            "a gateway bug; details only in the log",
            "Report it with the response's `requestId`: the gateway log has the stack trace"),
    SPARK_INTERNAL(502, "Spark failed",
            "Spark failed internally (SQLSTATE XX..., no error class, executor OOM)",
            "Retry if the failure was transient; otherwise look for `errorId` in the Spark server's log"),
    SPARK_UNAVAILABLE(503, "Spark Connect unavailable",
            "Spark Connect unreachable or shutting down (the work it was running when it stopped), or its session vanished twice in a row; with several endpoints the retry runs on one that is up (see docs/deploy.md on several Spark Connect servers)",
            "Retry after `Retry-After` seconds; if it lasts, check the Spark Connect server"),
    /** An operator's problem, not the caller's: the gateway's Spark Connect token is missing or wrong. */
    SPARK_CREDENTIALS(503, "Spark Connect refused the gateway's credentials",
            "Spark Connect refused the gateway's token (gRPC `UNAUTHENTICATED`): the operator must set `gateway.spark.token` (or `token=` in `gateway.spark.url`) to the server's `spark.connect.authenticate.token`; the detail says so. Readiness is DOWN meanwhile",
            "Nothing on the caller's side: retry later; the operator sets `gateway.spark.token` to the server's `spark.connect.authenticate.token`"),
    /** An operator's problem: restricted sessions need the policy extension inside Spark. */
    SPARK_POLICY_MISSING(503, "Spark lacks the gateway's SQL policy",
            "the Spark Connect server does not load the gateway's SQL policy extension (`spark.sql.extensions` lacks `dev.sparkgateway.policy.GatewayPolicyExtensions`), so no statement of a restricted (non-admin) principal runs: the gateway refuses rather than run it unrestricted",
            "Nothing on the caller's side; the operator starts Spark with the spark-gateway-policy jar and `spark.sql.extensions` ([security.md](security.md))"),
    /** An operator's or the identity provider's problem: tokens cannot be checked while its keys cannot be fetched. */
    ISSUER_UNAVAILABLE(503, "Token issuer unavailable",
            "`gateway.auth.mode=oidc`: the issuer's discovery document (`<issuer>/.well-known/openid-configuration`) could not be fetched or names another issuer, so no token can be verified yet; the detail says what failed",
            "Retry later; if it lasts, the operator checks that the gateway reaches `gateway.auth.oidc.issuer` (or sets `gateway.auth.oidc.jwks-url`)"),
    /** A statement's error only: the replica running it is gone, and nothing was reported SUCCEEDED. */
    GATEWAY_INSTANCE_LOST(503, "Gateway instance lost",
            "in a statement's `error` (`gateway.statements.store=postgresql`): the gateway replica running the statement died (its lease, `gateway.statements.lease`, expired) or shut down before the statement finished (`gateway.statements.shutdown-grace`); results of statements that SUCCEEDED stay fetchable from any replica",
            "Submit the statement again: any replica runs it"),
    /** An operator's problem: the shared statement store is down; /v1/sql does not need it. */
    STATEMENT_STORE_UNAVAILABLE(503, "Statement store unavailable",
            "`gateway.statements.store=postgresql`: the PostgreSQL database holding the statements (and the named sessions) cannot be reached (the detail says what the driver said); readiness is DOWN meanwhile",
            "Retry after `Retry-After` seconds; if it lasts, the operator checks the database (`quarkus.datasource.jdbc.url`)"),
    POOL_EXHAUSTED(503, "No Spark session available",
            "every session stayed busy for `gateway.pool.borrow-timeout`",
            "Retry after `Retry-After` seconds; if frequent, raise `gateway.pool.max-sessions` or send fewer requests at once"),
    SPARK_TIMEOUT(504, "Spark operation cancelled or timed out",
            "the operation was cancelled (by someone other than the client), or ran past `gateway.query.timeout` or the principal's `gateway.quotas.statement-timeout` (the `detail` names which); in a statement's `error`: cancelled on wait timeout, abandoned, or past that quota",
            "Make the statement cheaper, submit it to `/v1/statements` and wait as long as needed, or raise `gateway.query.timeout`"),
    SPOOL_FULL(507, "Result does not fit into the spool",
            "in a statement's `error`: its result would exceed `gateway.statements.spool-max-size`",
            "Fetch fewer rows (`limit`, a narrower query), or raise `gateway.statements.spool-max-size`");

    private final int status;
    private final String title;
    private final String when;
    private final String whatToDo;

    ProblemType(int status, String title, String when, String whatToDo) {
        this.status = status;
        this.title = title;
        this.when = when;
        this.whatToDo = whatToDo;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** When the gateway reports it (Markdown, as in docs/errors.md). */
    public String when() {
        return when;
    }

    /** What the client should do about it (Markdown). */
    public String whatToDo() {
        return whatToDo;
    }

    /** The last segment of {@link #uri()}, e.g. {@code spark-error}. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A relative URI reference, resolved against the gateway's own address. */
    public String uri() {
        return "/problems/" + slug();
    }
}
