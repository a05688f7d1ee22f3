package dev.sparkgateway.connect;

import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.AnalyzePlanResponse;
import org.apache.spark.connect.proto.Plan;
import org.jboss.logging.Logger;

import dev.sparkgateway.error.SparkException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Function;

/**
 * One gRPC client (one channel) per endpoint; every call goes to the server that holds its session
 * ({@link ConnectSession#endpoint()}), so the rest of the gateway keeps talking to one client.
 */
public final class RoutingSparkConnectClient implements SparkConnectClient, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RoutingSparkConnectClient.class);

    private final SparkEndpoints endpoints;
    private final Map<String, GrpcSparkConnectClient> clients = new LinkedHashMap<>();

    public RoutingSparkConnectClient(SparkEndpoints endpoints, SparkConnectConfig config) {
        this.endpoints = endpoints;
        for (SparkEndpoint e : endpoints.all()) {
            clients.put(e.name(), new GrpcSparkConnectClient(e.address(), config));
        }
    }

    private GrpcSparkConnectClient to(ConnectSession session) {
        GrpcSparkConnectClient client = clients.get(session.endpoint());
        if (client == null) {
            throw new IllegalArgumentException("no Spark endpoint named '" + session.endpoint() + "' (" + session + ")");
        }
        return client;
    }

    @Override
    public io.grpc.Channel channel(String endpoint) {
        return client(endpoint).channel();
    }

    @Override
    public io.grpc.Channel channel(String endpoint, io.netty.channel.EventLoop loop) {
        return client(endpoint).channel(loop);
    }

    private GrpcSparkConnectClient client(String endpoint) {
        GrpcSparkConnectClient client = clients.get(endpoint);
        if (client == null) {
            throw new IllegalArgumentException("no Spark endpoint named '" + endpoint + "'");
        }
        return client;
    }

    @Override
    public Execution execute(ConnectSession session, Plan plan, ExecuteOptions options) {
        return to(session).execute(session, plan, options);
    }

    @Override
    public List<String> interrupt(ConnectSession session, String operationId) {
        return everywhereIfUnknown(session, c -> c.interrupt(session, operationId));
    }

    @Override
    public int interruptsInFlight() {
        return clients.values().stream().mapToInt(GrpcSparkConnectClient::interruptsInFlight).sum();
    }

    @Override
    public void sweepAfterInterrupt(ConnectSession session, List<String> operationIds) {
        to(session).sweepAfterInterrupt(session, operationIds);
    }

    @Override
    public boolean sweepsPending(ConnectSession session) {
        return to(session).sweepsPending(session);
    }

    @Override
    public Set<String> sweeping() {
        return clients.values().stream().flatMap(c -> c.sweeping().stream()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public List<String> interruptAll(ConnectSession session) {
        return everywhereIfUnknown(session, c -> c.interruptAll(session));
    }

    /**
     * An interrupt for a session of unknown endpoint (another replica's statement, whose endpoint
     * the statement store does not keep) goes to every endpoint; it fails only if all fail.
     */
    private List<String> everywhereIfUnknown(ConnectSession session, Function<GrpcSparkConnectClient, List<String>> call) {
        if (!session.endpoint().equals(ConnectSession.ANY_ENDPOINT)) {
            return call.apply(to(session));
        }
        List<String> interrupted = new ArrayList<>();
        SparkException last = null;
        int answered = 0;
        for (GrpcSparkConnectClient client : clients.values()) {
            try {
                interrupted.addAll(call.apply(client));
                answered++;
            } catch (SparkException e) {
                last = e;
            }
        }
        if (answered == 0 && last != null) {
            throw last;
        }
        return interrupted;
    }

    @Override
    public void setConf(ConnectSession session, Map<String, String> conf) {
        to(session).setConf(session, conf);
    }

    @Override
    public Map<String, Optional<String>> getConf(ConnectSession session, List<String> keys) {
        return to(session).getConf(session, keys);
    }

    @Override
    public void releaseSession(ConnectSession session) {
        to(session).releaseSession(session);
    }

    @Override
    public AnalyzePlanResponse analyze(ConnectSession session, AnalyzePlanRequest.Builder request) {
        return to(session).analyze(session, request);
    }

    @Override
    public String sparkVersion(ConnectSession session) {
        return to(session).sparkVersion(session);
    }

    @Override
    public String sparkVersion(ConnectSession session, Duration deadline) {
        return to(session).sparkVersion(session, deadline);
    }

    @Override
    public long reattaches() {
        return clients.values().stream().mapToLong(GrpcSparkConnectClient::reattaches).sum();
    }

    @Override
    public String endpoint() {
        return endpoints.display();
    }

    @Override
    public void close() {
        for (GrpcSparkConnectClient client : clients.values()) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debugf("closing the Spark Connect client of %s failed: %s", client.endpoint(), e.getMessage());
            }
        }
    }
}
