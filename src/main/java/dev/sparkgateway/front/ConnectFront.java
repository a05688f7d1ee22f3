package dev.sparkgateway.front;

import dev.sparkgateway.auth.Authenticator;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.connect.SparkConnectConfig;
import dev.sparkgateway.session.SessionPool;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the Spark Connect front door when {@code gateway.connect-front.enabled}: a plain grpc-java
 * Netty server of its own, not quarkus-grpc's. quarkus-grpc serves {@code @GrpcService} beans
 * either on its separate server (one port, {@code quarkus.grpc.server.port}, fixed at build time
 * whether it exists) or on the HTTP port through Vert.x; the front needs its own port, off by
 * default at run time, and a raw service definition with byte-passthrough responses and manual
 * flow control, which Quarkus' service wrapping (Mutiny, blocking dispatch, interceptors) hides.
 */
@ApplicationScoped
public class ConnectFront {

    private static final Logger LOG = Logger.getLogger(ConnectFront.class);

    private final ConnectFrontConfig config;
    private final SparkConnectConfig spark;
    private final Authenticator authenticator;
    private final SessionPool pool;
    private final SparkConnectClient client;
    private final MeterRegistry registry;
    private final String httpHost;
    private Server server;
    private FrontSessions sessions;
    private ScheduledExecutorService reaper;
    private EventLoopGroup loops;
    private ExecutorService blocking;

    public ConnectFront(ConnectFrontConfig config, SparkConnectConfig spark, Authenticator authenticator, SessionPool pool,
            SparkConnectClient client, MeterRegistry registry, @ConfigProperty(name = "quarkus.http.host") String httpHost) {
        this.config = config;
        this.spark = spark;
        this.authenticator = authenticator;
        this.pool = pool;
        this.client = client;
        this.registry = registry;
        this.httpHost = httpHost;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        sessions = new FrontSessions(pool, client, config);
        String host = config.host().orElse(httpHost);
        int threads = config.eventLoops().orElse(Runtime.getRuntime().availableProcessors());
        DefaultThreadFactory loopThreads = new DefaultThreadFactory("connect-front", true);
        boolean epoll = Epoll.isAvailable();
        loops = epoll ? new EpollEventLoopGroup(threads, loopThreads) : new NioEventLoopGroup(threads, loopThreads);
        blocking = Executors.newCachedThreadPool(new DefaultThreadFactory("connect-front-blocking", true));
        // Calls run on the event loop that received them (grpc-java's direct executor); what may
        // block (an OIDC key fetch, creating a session in Spark) goes to the blocking executor.
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, config.port()))
                .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .bossEventLoopGroup(loops)
                .workerEventLoopGroup(loops)
                .addService(new FrontRelay(authenticator, client, sessions, registry,
                        (int) Math.min(Integer.MAX_VALUE, config.streamBuffer().asLongValue()), loops, blocking).service())
                // Plans with inlined local data come in large; Spark itself takes what the gateway takes.
                .maxInboundMessageSize(spark.maxInboundMessageBytes())
                // Clients keep idle connections alive; a stricter limit answers their pings with GOAWAY.
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        if (config.tlsCertFile().isPresent() != config.tlsKeyFile().isPresent()) {
            throw new IllegalStateException("gateway.connect-front.tls-cert-file and tls-key-file go together: set both or neither");
        }
        builder.directExecutor();
        config.tlsCertFile().ifPresent(cert -> builder.useTransportSecurity(cert.toFile(), config.tlsKeyFile().get().toFile()));
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("the Spark Connect front cannot listen on " + host + ":" + config.port(), e);
        }
        long every = Math.max(1_000, Math.min(60_000, config.sessionIdleTimeout().toMillis() / 4));
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connect-front-reaper");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(sessions::releaseIdle, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("Spark Connect front: sc://%s:%d%s (auth %s)", host, port(), config.tlsCertFile().isPresent() ? "/;use_ssl=true" : "",
                authenticator.mode().name().toLowerCase(java.util.Locale.ROOT));
    }

    void stop(@Observes ShutdownEvent event) {
        if (server == null) {
            return;
        }
        reaper.shutdownNow();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        blocking.shutdownNow();
        // The client's channels on these loops close with it, after this.
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }

    /** The port it listens on (the bound one when configured as 0); -1 when disabled. */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    /** Client sessions it knows now. */
    public int sessions() {
        return sessions == null ? 0 : sessions.size();
    }
}
