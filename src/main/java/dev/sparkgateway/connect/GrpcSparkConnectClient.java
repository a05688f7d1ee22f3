package dev.sparkgateway.connect;

import dev.sparkgateway.error.InternalException;
import dev.sparkgateway.error.SparkException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.AnalyzePlanResponse;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ConfigResponse;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.FetchErrorDetailsRequest;
import org.apache.spark.connect.proto.FetchErrorDetailsResponse;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.ReattachOptions;
import org.apache.spark.connect.proto.ReleaseExecuteRequest;
import org.apache.spark.connect.proto.ReleaseSessionRequest;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.apache.spark.connect.proto.UserContext;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spark Connect over one shared gRPC channel. Sessions are only ids on that channel, so any
 * number of sessions multiplex over one HTTP/2 connection. Just over 300 lines: one method per
 * Spark Connect RPC the gateway makes, each with its deadline and its errors decoded.
 */
public final class GrpcSparkConnectClient implements SparkConnectClient, AutoCloseable {

    static final String CLIENT_TYPE = "spark-connect-gateway";
    private static final Logger LOG = Logger.getLogger(GrpcSparkConnectClient.class);

    private final ConnectEndpoint endpoint;
    private final SparkConnectConfig config;
    private final ManagedChannel channel;
    private final SparkConnectServiceGrpc.SparkConnectServiceBlockingStub blocking;
    private final SparkConnectServiceGrpc.SparkConnectServiceStub async;
    private final AtomicLong reattaches = new AtomicLong();
    private final Interrupts interrupts;
    private final Channel relay;
    private final Optional<BearerToken> token;
    private final Map<EventLoop, LoopChannel> onLoops = new ConcurrentHashMap<>();

    public GrpcSparkConnectClient(ConnectEndpoint endpoint, SparkConnectConfig config) {
        this.endpoint = endpoint;
        this.config = config;
        this.channel = builder().build();
        // SparkEndpoints resolved which token wins (the endpoint's own or gateway.spark.token).
        this.token = endpoint.token().map(BearerToken::new);
        this.blocking = token.map(SparkConnectServiceGrpc.newBlockingStub(channel)::withCallCredentials)
                .orElseGet(() -> SparkConnectServiceGrpc.newBlockingStub(channel));
        this.async = token.map(SparkConnectServiceGrpc.newStub(channel)::withCallCredentials)
                .orElseGet(() -> SparkConnectServiceGrpc.newStub(channel));
        this.interrupts = new Interrupts(this::control, async, config.controlTimeout(), config.shutdownSweeps());
        this.relay = withToken(channel);
    }

    private NettyChannelBuilder builder() {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
                .maxInboundMessageSize(config.maxInboundMessageBytes())
                // Spark sends an error's whole message (SQL text, identifiers, percent-encoded: up to
                // 9 bytes a character) in the trailers; over gRPC's 8 KiB default Netty resets the
                // stream and the error, its class and its id are lost.
                .maxInboundMetadataSize(config.maxInboundMessageBytes())
                .userAgent(CLIENT_TYPE);
        if (endpoint.useSsl()) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        return builder;
    }

    /** {@code channel} with this endpoint's token on every call. */
    private Channel withToken(ManagedChannel channel) {
        // A Channel, not a ClientInterceptor: quarkus-grpc reports every interceptor class it finds unused.
        return token.<Channel>map(t -> new Channel() {
            @Override
            public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
                return channel.newCall(method, options.withCallCredentials(t));
            }

            @Override
            public String authority() {
                return channel.authority();
            }
        }).orElse(channel);
    }

    /** A connection of its own on {@code loop}, for a relay whose calls arrive there (closed with this client). */
    Channel channel(EventLoop loop) {
        return onLoops.computeIfAbsent(loop, l -> {
            ManagedChannel own = builder().eventLoopGroup(l)
                    .channelType(l.parent() instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class).build();
            return new LoopChannel(own, withToken(own));
        }).calls();
    }

    /** A channel on one event loop: {@code calls} carries the token, {@code own} is what closes. */
    private record LoopChannel(ManagedChannel own, Channel calls) {
    }

    @Override
    public Channel channel(String endpoint) {
        return relay;
    }

    @Override
    public Channel channel(String endpoint, EventLoop loop) {
        return channel(loop);
    }

    /** The shared channel, with this endpoint's token on every call. */
    Channel channel() {
        return relay;
    }

    @Override
    public Execution execute(ConnectSession session, Plan plan, ExecuteOptions options) {
        ExecutePlanRequest.Builder request = ExecutePlanRequest.newBuilder()
                .setSessionId(session.sessionId())
                .setUserContext(user(session))
                .setClientType(CLIENT_TYPE)
                .setOperationId(options.operationId())
                .setPlan(plan)
                .addAllTags(options.tags());
        session.serverSideSessionId().ifPresent(request::setClientObservedServerSideSessionId);
        if (options.reattachable()) {
            request.addRequestOptions(ExecutePlanRequest.RequestOption.newBuilder()
                    .setReattachOptions(ReattachOptions.newBuilder().setReattachable(true)));
        }
        return options.reattachable()
                ? new ReattachingExecution(this, session, request.build(), config)
                : new GrpcExecution(this, session, request.build(), config);
    }

    @Override
    public long reattaches() {
        return reattaches.get();
    }

    void countReattach() {
        reattaches.incrementAndGet();
    }

    /**
     * Fire-and-forget ReleaseExecute: responses up to {@code untilResponseId}, or the whole
     * operation when it is null. Losing one is harmless; the server drops detached operations itself.
     */
    void releaseExecuteAsync(ConnectSession session, String operationId, String untilResponseId) {
        ReleaseExecuteRequest.Builder request = ReleaseExecuteRequest.newBuilder()
                .setSessionId(session.sessionId())
                .setUserContext(user(session))
                .setClientType(CLIENT_TYPE)
                .setOperationId(operationId);
        session.serverSideSessionId().ifPresent(request::setClientObservedServerSideSessionId);
        if (untilResponseId == null) {
            request.setReleaseAll(ReleaseExecuteRequest.ReleaseAll.getDefaultInstance());
        } else {
            request.setReleaseUntil(ReleaseExecuteRequest.ReleaseUntil.newBuilder().setResponseId(untilResponseId));
        }
        Context.ROOT.run(() -> async.withDeadlineAfter(config.controlTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .releaseExecute(request.build(), new LoggingObserver<>("release of " + operationId)));
    }


    @Override
    public List<String> interrupt(ConnectSession session, String operationId) {
        return interrupts.interrupt(session, operationId);
    }

    @Override
    public List<String> interruptAll(ConnectSession session) {
        return interrupts.interruptAll(session);
    }

    /** Fire-and-forget interrupt for cancellation paths that must not block (e.g. the HTTP event loop). */
    @Override
    public int interruptsInFlight() {
        return interrupts.inFlight();
    }

    @Override
    public Set<String> sweeping() {
        return interrupts.sweeping();
    }

    @Override
    public boolean sweepsPending(ConnectSession session) {
        return interrupts.sweepsPending(session);
    }

    @Override
    public void sweepAfterInterrupt(ConnectSession session, List<String> operationIds) {
        interrupts.sweepAfter(session, operationIds);
    }

    void interruptAsync(ConnectSession session, String operationId) {
        interrupts.interruptAsync(session, operationId);
    }

    @Override
    public void setConf(ConnectSession session, Map<String, String> conf) {
        ConfigRequest.Set.Builder set = ConfigRequest.Set.newBuilder();
        conf.forEach((key, value) -> set.addPairs(KeyValue.newBuilder().setKey(key).setValue(value)));
        config(session, ConfigRequest.Operation.newBuilder().setSet(set).build());
    }

    @Override
    public Map<String, Optional<String>> getConf(ConnectSession session, List<String> keys) {
        ConfigResponse response = config(session, ConfigRequest.Operation.newBuilder()
                .setGetOption(ConfigRequest.GetOption.newBuilder().addAllKeys(keys)).build());
        Map<String, Optional<String>> values = new LinkedHashMap<>();
        for (KeyValue pair : response.getPairsList()) {
            values.put(pair.getKey(), pair.hasValue() ? Optional.of(pair.getValue()) : Optional.empty());
        }
        return values;
    }

    private ConfigResponse config(ConnectSession session, ConfigRequest.Operation operation) {
        ConfigRequest.Builder request = ConfigRequest.newBuilder()
                .setSessionId(session.sessionId())
                .setUserContext(user(session))
                .setClientType(CLIENT_TYPE)
                .setOperation(operation);
        session.serverSideSessionId().ifPresent(request::setClientObservedServerSideSessionId);
        // Config creates every new session: like an execution it is tried again while Spark is
        // unreachable before any answer (a server that just came up while the channel waited out
        // its reconnect back-off), since setting a conf twice is harmless.
        for (int attempt = 1; ; attempt++) {
            try {
                // Under ROOT: a session replaced after a failed call is prepared on a thread whose context
                // that call may have cancelled.
                ConfigResponse response = Context.ROOT.call(() -> control().config(request.build()));
                checkSession(session, response.getSessionId(), response.getServerSideSessionId());
                return response;
            } catch (StatusRuntimeException e) {
                SparkException error = failure(session, e);
                if (!error.isUnavailable() || attempt >= config.maxAttempts() || !pause(attempt)) {
                    throw error;
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits before attempt {@code attempt + 1}; false if interrupted. */
    private boolean pause(int attempt) {
        try {
            Thread.sleep(config.initialBackoff().toMillis() << Math.min(attempt - 1, 10));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void releaseSession(ConnectSession session) {
        interrupts.release(session, () -> {
            try {
                control().releaseSession(ReleaseSessionRequest.newBuilder()
                        .setSessionId(session.sessionId())
                        .setUserContext(user(session))
                        .setClientType(CLIENT_TYPE)
                        .build());
            } catch (StatusRuntimeException e) {
                throw SparkErrors.decode(e);
            }
        });
    }

    @Override
    public AnalyzePlanResponse analyze(ConnectSession session, AnalyzePlanRequest.Builder request) {
        return analyze(session, request, config.controlTimeout());
    }

    private AnalyzePlanResponse analyze(ConnectSession session, AnalyzePlanRequest.Builder request, Duration deadline) {
        request.setSessionId(session.sessionId()).setUserContext(user(session)).setClientType(CLIENT_TYPE);
        session.serverSideSessionId().ifPresent(request::setClientObservedServerSideSessionId);
        try {
            AnalyzePlanResponse response = blocking.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .analyzePlan(request.build());
            checkSession(session, response.getSessionId(), response.getServerSideSessionId());
            return response;
        } catch (StatusRuntimeException e) {
            throw failure(session, e);
        }
    }

    @Override
    public String sparkVersion(ConnectSession session) {
        return sparkVersion(session, config.controlTimeout());
    }

    @Override
    public String sparkVersion(ConnectSession session, Duration deadline) {
        return analyze(session, AnalyzePlanRequest.newBuilder()
                .setSparkVersion(AnalyzePlanRequest.SparkVersion.getDefaultInstance()), deadline)
                .getSparkVersion().getVersion();
    }

    /**
     * The Spark error behind a failed call. When the trailers lack the error class (Spark leaves it
     * out when its message parameters exceed {@code spark.connect.grpc.maxMetadataSize}), asks
     * FetchErrorDetails for it by the error's id; failing that, the trailers' error stands.
     */
    SparkException failure(ConnectSession session, StatusRuntimeException e) {
        SparkException error = unavailableReconnects(SparkErrors.decode(e));
        if (error.errorClass().isPresent() || error.errorId().isEmpty() || error.isUnavailable() || error.isUnauthenticated()) {
            return error;
        }
        FetchErrorDetailsRequest.Builder request = FetchErrorDetailsRequest.newBuilder()
                .setSessionId(session.sessionId())
                .setUserContext(user(session))
                .setClientType(CLIENT_TYPE)
                .setErrorId(error.errorId().get());
        session.serverSideSessionId().ifPresent(request::setClientObservedServerSideSessionId);
        try {
            // Under ROOT: the failed call's context may be cancelled already.
            FetchErrorDetailsResponse details = Context.ROOT.call(() -> control().fetchErrorDetails(request.build()));
            return SparkErrors.withDetails(error, details);
        } catch (Exception fetch) {
            LOG.debugf("FetchErrorDetails for %s failed: %s", error.errorId().get(), fetch.getMessage());
            return error;
        }
    }

    /**
     * After a failed connect gRPC waits with growing back-off (up to 2 min) before trying again;
     * asking now means a restarted Spark is seen at the next call, not minutes later.
     */
    SparkException unavailableReconnects(SparkException error) {
        if (error.isUnavailable()) {
            channel.resetConnectBackoff();
        }
        return error;
    }

    @Override
    public String endpoint() {
        return endpoint.display();
    }

    SparkConnectServiceGrpc.SparkConnectServiceBlockingStub blocking() {
        return blocking;
    }

    private SparkConnectServiceGrpc.SparkConnectServiceBlockingStub control() {
        return blocking.withDeadlineAfter(config.controlTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every response must belong to the session we asked about; a mismatch means a broken proxy or server. */
    static void checkSession(ConnectSession session, String sessionId, String serverSideSessionId) {
        if (!session.sessionId().equals(sessionId)) {
            throw InternalException.ofSpark(
                    "Spark Connect answered for session " + sessionId + " instead of " + session.sessionId());
        }
        session.observeServerSideSessionId(serverSideSessionId);
    }

    static UserContext user(ConnectSession session) {
        return UserContext.newBuilder().setUserId(session.userId()).setUserName(session.userId()).build();
    }

    @Override
    public void close() {
        interrupts.close();
        onLoops.values().forEach(c -> c.own().shutdownNow());
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }


}
