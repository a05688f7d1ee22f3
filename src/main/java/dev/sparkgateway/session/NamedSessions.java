package dev.sparkgateway.session;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.ExecuteOptions;
import dev.sparkgateway.connect.Execution;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.error.ConflictException;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.error.LimitExceededException;
import dev.sparkgateway.error.NotFoundException;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.plan.SqlPlans;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Named sessions: Spark Connect sessions a principal creates, joins from any number of requests
 * and deletes, so temp views, SET, USE and cached tables persist between its requests and nowhere
 * else. Each is created exactly like a pooled one (its Spark user, a restricted user's policy mark),
 * on the endpoint the user's pooled sessions live on, and ends when deleted, idle for
 * {@code gateway.sessions.idle-timeout}, or {@code max-lifetime} after creation: released on the
 * Spark server then. Ids are the gateway's own, random and unguessable, never the Spark session id:
 * that id appears in Spark's UI and logs, and a gateway id reveals nothing of it.
 *
 * <p>Just over 300 lines on purpose: creation, joining, expiry and release keep one invariant
 * together (a session is released on Spark exactly once, by whoever removes its record); records
 * live in a {@link SessionStore}, leases in {@link NamedLease}.
 */
@ApplicationScoped
public class NamedSessions {

    private static final Logger LOG = Logger.getLogger(NamedSessions.class);
    /** Keys the gateway sets itself (the Spark user, the policy mark): nobody may set them. */
    static final String RESERVED_PREFIX = "spark.sparkgateway.";
    /** A conf key as Spark's {@code SET key=value} takes it. */
    private static final Pattern CONF_KEY = Pattern.compile("[A-Za-z0-9_.:]+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SparkConnectClient client;
    private final SessionPool pool;
    private final SessionsConfig config;
    private final Clock clock;
    private final SessionStore store;
    /** This gateway's handle on each session it has used: the Spark session and the requests running in it. */
    private final Map<String, Handle> handles = new ConcurrentHashMap<>();
    private final long reapEveryMillis;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("named-session-reaper").setDaemon(true).build());

    public NamedSessions(SparkConnectClient client, SessionPool pool, SessionsConfig config, PoolConfig poolConfig,
            Clock clock, InjectableInstance<AgroalDataSource> dataSource) {
        this.client = client;
        this.pool = pool;
        this.config = config;
        this.clock = clock;
        if (config.store() == SessionsConfig.Store.POSTGRESQL) {
            List<AgroalDataSource> active = dataSource.listActive();
            if (active.isEmpty()) {
                throw new IllegalStateException("gateway.sessions.store=postgresql needs quarkus.datasource.jdbc.url"
                        + " (and quarkus.datasource.username/password): the PostgreSQL database the replicas share");
            }
            this.store = new PostgresSessionStore(active.get(0));
        } else {
            this.store = new InMemorySessionStore();
        }
        this.reapEveryMillis = poolConfig.maintenanceInterval().toMillis();
    }

    /** The Spark session of a named session and the requests of this gateway running in it now. */
    record Handle(ConnectSession connect, AtomicInteger running) {
    }

    void start(@Observes StartupEvent event) {
        reaper.scheduleWithFixedDelay(this::reap, reapEveryMillis, reapEveryMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The memory store dies with this process: its sessions would linger on the server until Spark's
     * own timeout. A shared store's sessions live on, used from the other replicas.
     */
    void stop(@Observes ShutdownEvent event) {
        reaper.shutdownNow();
        if (config.store() == SessionsConfig.Store.MEMORY) {
            handles.keySet().forEach(id -> store.get(id).ifPresent(this::end));
        }
    }

    /**
     * Creates a session for {@code owner} running as {@code user}: its conf applied as {@code SET}
     * commands (so Spark's SQL policy judges each one as it judges the user's own SET), then
     * {@code USE database}. Nothing is kept if any step fails.
     */
    public NamedSession create(String owner, SparkUser user, Map<String, String> conf, Optional<String> database) {
        conf.forEach(NamedSessions::checkConf);
        database.ifPresent(d -> {
            if (d.isBlank()) {
                throw new InvalidRequestException("database must not be empty", "/database");
            }
        });
        Instant now = clock.instant();
        ConnectSession connect = ConnectSession.create(pool.endpointFor(user), user.name());
        SessionRecord record = new SessionRecord(newId(), owner, user, connect.endpoint(), connect.sessionId(), null, now, now,
                false);
        if (!store.add(record, config.maxPerPrincipal())) {
            throw new LimitExceededException(LimitExceededException.Reason.NAMED_SESSIONS, owner + " holds "
                    + config.maxPerPrincipal() + " sessions already (gateway.sessions.max-per-principal); delete one"
                    + " it no longer needs (GET /v1/sessions lists them)", null);
        }
        try {
            SessionPolicy.prepare(client, connect, user.restricted());
            conf.forEach((key, value) -> command(connect, "SET " + key + "=" + value));
            database.ifPresent(d -> command(connect, "USE " + quoted(d)));
        } catch (RuntimeException e) {
            store.remove(record.id());
            release(connect, 1);
            throw e;
        }
        connect.serverSideSessionId().ifPresent(serverSide -> store.observed(record.id(), serverSide));
        handles.put(record.id(), new Handle(connect, new AtomicInteger()));
        return view(record);
    }

    private static void checkConf(String key, String value) {
        String pointer = "/conf/" + key.replace("~", "~0").replace("/", "~1");
        if (!CONF_KEY.matcher(key).matches()) {
            throw new InvalidRequestException("'" + key + "' is not a Spark conf key (letters, digits, '_', '.', ':')", pointer);
        }
        if (key.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX)) {
            throw new InvalidRequestException("'" + key + "' is set by the gateway itself (" + RESERVED_PREFIX
                    + "* confs carry the Spark user and the SQL policy's mark) and cannot be set by a session", pointer);
        }
        if (value.indexOf(';') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            // SET key=value takes the rest of the statement as the value, up to a ';'.
            throw new InvalidRequestException("a conf value must not contain ';' or line breaks", pointer);
        }
    }

    /** A single identifier, quoted so any name (dots, backticks, unicode) means itself. */
    static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Runs SQL as a command, the way every SQL statement of the gateway starts (the policy judges it there). */
    private void command(ConnectSession session, String sql) {
        try (Execution execution = client.execute(session, SqlPlans.command(sql, null), ExecuteOptions.fresh())) {
            while (execution.next() != null) {
                // Drained: the command ran once the stream ends.
            }
        }
    }

    private static String newId() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code owner}'s session, as {@code user}; 404 for unknown, expired and other principals' ids alike. */
    public NamedSession get(String owner, SparkUser user, String id) {
        return view(find(owner, user, id));
    }

    /** The sessions {@code owner} holds (those that expired meanwhile ended). */
    public List<NamedSession> list(String owner) {
        return store.owned(owner).stream().filter(s -> !expire(s)).map(this::view).toList();
    }

    /** Ends the session and releases it on the Spark server (interrupting what still runs in it). */
    public void delete(String owner, SparkUser user, String id) {
        end(find(owner, user, id));
    }

    /** Checks that {@code scope}'s session can be joined now (404, 410): for work that joins it later. */
    public void check(SessionScope scope) {
        SessionRecord record = find(scope.principal(), scope.user(), scope.sessionId().orElseThrow());
        if (record.lost()) {
            throw lostError(record);
        }
    }

    /** Joins the session of {@code scope}: 404 if it is not the caller's (or gone), 410 if Spark lost it. */
    SessionLease join(SessionScope scope) {
        SessionRecord record = find(scope.principal(), scope.user(), scope.sessionId().orElseThrow());
        if (record.lost()) {
            throw lostError(record);
        }
        Handle handle = handles.computeIfAbsent(record.id(), id -> new Handle(record.connect(), new AtomicInteger()));
        handle.running().incrementAndGet();
        store.touch(record.id(), clock.instant());
        return new NamedLease(this, record, handle);
    }

    /** A request in the session ended. */
    void ended(SessionRecord record, Handle handle) {
        handle.running().decrementAndGet();
        store.touch(record.id(), clock.instant());
    }

    /** The Spark server no longer knows the session: recorded, so every later request gets the same 410. */
    ConflictException lost(SessionRecord record, SparkException cause) {
        LOG.infof("named session %s of %s: the Spark server lost it (%s)", record.id(), record.owner(),
                cause.errorClass().orElse(cause.getMessage()));
        store.markLost(record.id());
        return lostError(record);
    }

    private static ConflictException lostError(SessionRecord record) {
        return ConflictException.sessionLost("The Spark server no longer has session " + record.id()
                + " (it restarted, or ended the session itself): its temp views, settings and current database are gone."
                + " Create a new session (POST /v1/sessions), set it up again and repeat the request there");
    }

    private SessionRecord find(String owner, SparkUser user, String id) {
        Optional<SessionRecord> record = ID.matcher(id).matches() ? store.get(id) : Optional.empty();
        if (record.isEmpty() || !record.get().ownedBy(owner, user) || expire(record.get())) {
            // One answer for all: an id names nothing to someone who may not use it.
            throw new NotFoundException("No session " + id + ": it never existed, was deleted, expired"
                    + " (gateway.sessions.idle-timeout, max-lifetime), or is not yours");
        }
        return record.get();
    }

    /** Ends {@code record} if its time is up; true if it is gone. */
    private boolean expire(SessionRecord record) {
        Instant now = clock.instant();
        boolean hard = !now.isBefore(record.expiresAt(config.maxLifetime()));
        Handle handle = handles.get(record.id());
        boolean busy = handle != null && handle.running().get() > 0;
        if (hard || (!busy && !now.isBefore(record.idleExpiresAt(config.idleTimeout(), config.maxLifetime())))) {
            end(record);
            return true;
        }
        return false;
    }

    private void end(SessionRecord record) {
        Handle handle = handles.remove(record.id());
        if (store.remove(record.id())) {
            release(handle != null ? handle.connect() : record.connect(), 1);
        }
    }

    /** The server refuses to close a session while an interrupted operation winds down: tried again later. */
    private void release(ConnectSession session, int attempt) {
        try {
            client.releaseSession(session);
        } catch (RuntimeException e) {
            if (attempt < 3 && !reaper.isShutdown()) {
                reaper.schedule(() -> release(session, attempt + 1), 2L * attempt, TimeUnit.SECONDS);
            } else {
                LOG.debugf("releasing %s failed: %s", session, e.getMessage());
            }
        }
    }

    private void reap() {
        try {
            Instant now = clock.instant();
            // Another replica judges idleness by the store alone: a session busy here is touched, so it is not idle there.
            handles.forEach((id, handle) -> {
                if (handle.running().get() > 0) {
                    store.touch(id, now);
                } else if (store.get(id).isEmpty()) {
                    handles.remove(id); // ended on another replica
                }
            });
            store.expired(now.minus(config.idleTimeout()), now.minus(config.maxLifetime())).forEach(this::expire);
        } catch (RuntimeException e) {
            LOG.debugf("named session reaper: %s", e.getMessage());
        }
    }

    /** The Spark session behind a session id, for tests and diagnostics: never shown to clients. */
    public Optional<ConnectSession> sparkSession(String id) {
        return store.get(id).map(r -> {
            Handle handle = handles.get(id);
            return handle != null ? handle.connect() : r.connect();
        });
    }

    private NamedSession view(SessionRecord r) {
        return new NamedSession(r.id(), r.createdAt(), r.lastUsedAt(), r.expiresAt(config.maxLifetime()),
                r.idleExpiresAt(config.idleTimeout(), config.maxLifetime()), r.lost());
    }
}
