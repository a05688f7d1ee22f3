package dev.sparkgateway.front;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sparkgateway.auth.Authenticator;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.MessageBytes;
import dev.sparkgateway.connect.SparkConnectClient;
import io.grpc.Channel;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;
import org.apache.spark.connect.proto.InterruptResponse;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The whole SparkConnectService of the 4.0 protos as a relay: every method of the generated
 * service descriptor, with requests parsed as protos and responses kept as bytes. A method the
 * 4.0 protos lack (a newer client's) is UNIMPLEMENTED, as Spark 4.0 itself would answer.
 */
final class FrontRelay {

    private static final Logger LOG = Logger.getLogger(FrontRelay.class);

    static final String CONFIG = SparkConnectServiceGrpc.getConfigMethod().getFullMethodName();
    static final String INTERRUPT = SparkConnectServiceGrpc.getInterruptMethod().getFullMethodName();
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** A response as the bytes Spark sent: relayed without parsing or encoding it again. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new Bytes(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return MessageBytes.read(stream);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /**
     * A response's bytes as grpc-java's framer wants them: Drainable, so they are written into the
     * outbound buffer in one copy. A plain ByteArrayInputStream went through an 8 KiB buffer,
     * two copies of every relayed Arrow batch.
     */
    private static final class Bytes extends ByteArrayInputStream implements Drainable, KnownLength {
        Bytes(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }

    private final Authenticator authenticator;
    private final SparkConnectClient client;
    private final FrontSessions sessions;
    private final MeterRegistry registry;
    private final int streamBuffer;
    /** The server's event loops, which run every call's callbacks. */
    private final EventLoopGroup loops;
    private final Executor blocking;

    FrontRelay(Authenticator authenticator, SparkConnectClient client, FrontSessions sessions, MeterRegistry registry,
            int streamBuffer, EventLoopGroup loops, Executor blocking) {
        this.authenticator = authenticator;
        this.client = client;
        this.sessions = sessions;
        this.registry = registry;
        this.streamBuffer = streamBuffer;
        this.loops = loops;
        this.blocking = blocking;
    }

    @SuppressWarnings("unchecked")
    ServerServiceDefinition service() {
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(SparkConnectServiceGrpc.SERVICE_NAME);
        for (MethodDescriptor<?, ?> m : SparkConnectServiceGrpc.getServiceDescriptor().getMethods()) {
            MethodDescriptor<Message, Message> proto = (MethodDescriptor<Message, Message>) m;
            service.addMethod(proto.toBuilder(proto.getRequestMarshaller(), BYTES).build(), handler());
        }
        return service.build();
    }

    private ServerCallHandler<Message, byte[]> handler() {
        return new ServerCallHandler<>() {
            @Override
            public ServerCall.Listener<Message> startCall(ServerCall<Message, byte[]> call, Metadata headers) {
                EventLoop home = currentLoop();
                if (!authenticator.blocking()) {
                    ServerCall.Listener<Message> relayed = admit(call, headers, home);
                    if (relayed instanceof FrontCall) {
                        start(call);
                    }
                    return relayed;
                }
                // An OIDC check may fetch the issuer's keys: off the loop. The call's first message is
                // asked for only once it is done, so nothing but a cancel arrives meanwhile.
                Deferred deferred = new Deferred();
                offload(() -> {
                    ServerCall.Listener<Message> relayed = admit(call, headers, home);
                    if (deferred.set(relayed) && relayed instanceof FrontCall) {
                        start(call);
                    }
                });
                return deferred;
            }
        };
    }

    /** The relayed call of the caller {@code headers} authenticate, or one already closed if they do not. */
    private ServerCall.Listener<Message> admit(ServerCall<Message, byte[]> call, Metadata headers, EventLoop home) {
        Principal principal;
        try {
            principal = authenticator.authenticate(headers.get(AUTHORIZATION));
        } catch (RuntimeException e) {
            Status status = FrontStatus.of(e);
            count(call.getMethodDescriptor(), null, status.getCode());
            FrontAudit.log(call.getMethodDescriptor(), null, "", "", "", status, 0);
            call.close(status, new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return new FrontCall(call, principal, sessions, this, home);
    }

    private void start(ServerCall<Message, byte[]> call) {
        // isReady() stays true until this much is queued (gateway.connect-front.stream-buffer).
        call.setOnReadyThreshold(streamBuffer);
        call.request(1);
    }

    /**
     * A call's listener while its caller is authenticated off the loop. Messages come only after
     * the relayed call asked for them, so only a cancel (or readiness) can find it unset.
     */
    private static final class Deferred extends ServerCall.Listener<Message> {
        private volatile ServerCall.Listener<Message> target;
        private boolean cancelled;

        /** False if the client cancelled first: then nothing is asked of the call. */
        synchronized boolean set(ServerCall.Listener<Message> listener) {
            if (cancelled) {
                return false;
            }
            target = listener;
            return true;
        }

        @Override
        public void onMessage(Message message) {
            target.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            target.onHalfClose();
        }

        @Override
        public void onCancel() {
            ServerCall.Listener<Message> listener;
            synchronized (this) {
                cancelled = true;
                listener = target;
            }
            if (listener != null) {
                listener.onCancel();
            }
        }

        @Override
        public void onComplete() {
            ServerCall.Listener<Message> listener = target;
            if (listener != null) {
                listener.onComplete();
            }
        }

        @Override
        public void onReady() {
            ServerCall.Listener<Message> listener = target;
            if (listener != null) {
                listener.onReady();
            }
        }
    }

    /** Sweeps for jobs left by what a client's own Interrupt RPC interrupted (its response, as Spark sent it). */
    void sweepAfterInterrupt(ConnectSession session, byte[] response) {
        try {
            client.sweepAfterInterrupt(session, InterruptResponse.parseFrom(response).getInterruptedIdsList());
        } catch (InvalidProtocolBufferException e) {
            LOG.debugf("an Interrupt response that does not parse: %s", e.getMessage());
        }
    }

    boolean sweepsPending(ConnectSession session) {
        return client.sweepsPending(session);
    }

    /** Releases the session once its sweeps are done, off the calling thread. */
    void releaseLater(ConnectSession session) {
        CompletableFuture.runAsync(() -> client.releaseSession(session)).exceptionally(e -> {
            LOG.debugf("release of session %s after its sweeps: %s", session.sessionId(), e.getMessage());
            return null;
        });
    }

    /** Interrupts one operation off the calling thread (a gRPC callback must not wait for Spark). */
    void interrupt(ConnectSession session, String operationId) {
        CompletableFuture.runAsync(() -> client.interrupt(session, operationId)).exceptionally(e -> {
            LOG.debugf("interrupt of %s after its client's cancel: %s", operationId, e.getMessage());
            return null;
        });
    }

    /** The channel to {@code endpoint} on {@code loop} (the shared one when null). */
    Channel channel(String endpoint, EventLoop loop) {
        return loop == null ? client.channel(endpoint) : client.channel(endpoint, loop);
    }

    /** The front's event loop the calling thread runs, or null (another thread). */
    EventLoop currentLoop() {
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                return (EventLoop) loop;
            }
        }
        return null;
    }

    /** Runs what may block (an OIDC key fetch, a session's creation in Spark) off the event loops. */
    void offload(Runnable task) {
        blocking.execute(task);
    }

    /** One call ended: by RPC, principal and gRPC status. */
    void count(MethodDescriptor<?, ?> method, Principal principal, Status.Code code) {
        Counter.builder("gateway.connect.front.calls")
                .description("Spark Connect calls through the front door, by RPC, principal and gRPC status")
                .tag("rpc", method.getBareMethodName() == null ? method.getFullMethodName() : method.getBareMethodName())
                .tag("principal", principal == null ? "" : principal.name())
                .tag("status", code.name())
                .register(registry).increment();
    }
}
