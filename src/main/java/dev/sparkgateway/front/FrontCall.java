package dev.sparkgateway.front;

import com.google.protobuf.Message;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.connect.ConnectSession;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.netty.channel.EventLoop;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ReattachExecuteRequest;
import org.apache.spark.connect.proto.ReleaseSessionRequest;
import org.apache.spark.connect.proto.ReleaseSessionResponse;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client call relayed to Spark. Requests are parsed (the front rewrites and checks them);
 * responses stay the bytes Spark sent (Arrow batches pass untouched) except Config's, which are
 * redacted. Flow control is manual both ways: a response is asked of Spark only when the client
 * can take one ({@code isReady}/{@code onReady}), a request of the client only when Spark can,
 * so at most one message per direction waits in the gateway. A cancel on either side ends the other.
 */
final class FrontCall extends ServerCall.Listener<Message> {

    private final ServerCall<Message, byte[]> downstream;
    private final MethodDescriptor<Message, byte[]> method;
    /** Decided once per call, not per relayed response (Arrow batches pass here). */
    private final boolean redactsConfig;
    private final boolean sweepsAfterInterrupt;
    private final Principal principal;
    private final FrontSessions sessions;
    private final FrontRelay relay;
    // ServerCall and ClientCall are not thread-safe; both listeners run on the call's event loop,
    // but a first message admitted off the loop, and a client's cancel, may meet them there.
    private final Object lock = new Object();
    /**
     * The event loop the call arrived on, which runs its callbacks. The call to Spark goes over a
     * connection on the same loop, so each message is handed from one connection to the other
     * without a thread hop.
     */
    private final EventLoop home;
    /** The first message is being admitted off the loop: a half-close waits for it. */
    private boolean admitting;
    private boolean halfClosed;
    private final AtomicBoolean ended = new AtomicBoolean();
    private boolean closed;
    private ClientCall<Message, byte[]> upstream;
    private FrontSessions.Entry entry;
    private ConnectSession session;
    private boolean operation;
    private boolean wantResponse;
    private boolean wantRequest;
    private final long startNanos = System.nanoTime();
    private String operationId = "";
    /** A non-reattachable ExecutePlan: its client's cancel means the work is no longer wanted. */
    private boolean interruptOnCancel;
    private String fingerprint = "";

    FrontCall(ServerCall<Message, byte[]> downstream, Principal principal, FrontSessions sessions, FrontRelay relay, EventLoop home) {
        this.downstream = downstream;
        this.method = downstream.getMethodDescriptor();
        this.redactsConfig = method.getFullMethodName().equals(FrontRelay.CONFIG);
        this.sweepsAfterInterrupt = method.getFullMethodName().equals(FrontRelay.INTERRUPT);
        this.principal = principal;
        this.sessions = sessions;
        this.relay = relay;
        this.home = home;
    }

    @Override
    public void onMessage(Message request) {
        synchronized (lock) {
            if (closed) {
                return;
            }
        }
        if (upstream == null && home != null && !sessions.ready(FrontRequests.sessionId(request))) {
            // A session seen for the first time is created in Spark (a Config round trip), which
            // must not hold the event loop other calls are relayed on.
            synchronized (lock) {
                admitting = true;
            }
            // In the call's context: its deadline and cancellation reach the call to Spark.
            relay.offload(Context.current().wrap(() -> {
                relayMessage(request);
                synchronized (lock) {
                    admitting = false;
                    if (halfClosed && upstream != null && !closed) {
                        upstream.halfClose();
                    }
                }
            }));
            return;
        }
        relayMessage(request);
    }

    private void relayMessage(Message request) {
        try {
            if (upstream == null) {
                if (!first(request)) {
                    return;
                }
            } else if (!FrontRequests.sessionId(request).equals(session.sessionId())) {
                throw Status.INVALID_ARGUMENT.withDescription("every message of a call must name the same session").asRuntimeException();
            }
            Message rewritten = FrontRequests.rewrite(request, principal, session);
            if (rewritten instanceof ExecutePlanRequest execute) {
                operationId = execute.getOperationId();
                interruptOnCancel = !FrontRequests.reattachable(execute);
            }
            if (principal.restricted()) {
                FrontRequests.checkRestricted(rewritten);
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                upstream.sendMessage(rewritten);
                // Client streaming (AddArtifacts): the next chunk only once Spark takes more.
                if (upstream.isReady()) {
                    downstream.request(1);
                } else {
                    wantRequest = true;
                }
            }
        } catch (RuntimeException e) {
            fail(FrontStatus.of(e));
        }
    }

    /**
     * Admits the call's session (created on first sight), then opens the call to the session's
     * server; false if the front answered the call itself.
     */
    private boolean first(Message request) {
        if (request instanceof ExecutePlanRequest execute) {
            operationId = execute.getOperationId();
            fingerprint = FrontAudit.fingerprint(execute.getPlan());
        } else if (request instanceof ReattachExecuteRequest reattach) {
            operationId = reattach.getOperationId();
        }
        entry = sessions.admit(principal, FrontRequests.sessionId(request));
        session = FrontSessions.connect(entry);
        if (request instanceof ExecutePlanRequest || request instanceof ReattachExecuteRequest) {
            // Under the lock: an admission off the loop may race the client's cancel, whose end() counts it off.
            synchronized (lock) {
                if (closed) {
                    return false;
                }
                if (!sessions.startOperation(principal, entry)) {
                    throw Status.RESOURCE_EXHAUSTED.withDescription(principal.name() + " runs as many executions as it may"
                            + " through the gateway (gateway.connect-front.max-operations-per-principal)").asRuntimeException();
                }
                operation = true;
            }
        }
        if (request instanceof ReleaseSessionRequest release && !release.getAllowReconnect() && relay.sweepsPending(session)) {
            releaseAfterSweeps();
            return false;
        }
        // Under the client call's context: its deadline applies upstream, and its cancellation too.
        // Spark's responses are handed on where they arrive, on the channel's event loop: the listener
        // only forwards bytes under a lock (never blocks), and a hop to another executor per message
        // was a measurable share of a small call's time through the front (docs/performance.md).
        CallOptions options = CallOptions.DEFAULT.withExecutor(Runnable::run);
        if (Context.current().getDeadline() != null) {
            options = options.withDeadline(Context.current().getDeadline());
        }
        ClientCall<Message, byte[]> call = relay.channel(session.endpoint(), home).newCall(method, options);
        synchronized (lock) {
            if (closed) {
                return false; // the client cancelled while its session was admitted
            }
            upstream = call;
            call.start(new Upstream(request instanceof ReleaseSessionRequest), new Metadata());
            call.request(1);
        }
        return true;
    }

    /**
     * A ReleaseSession right after the client's own interrupt (a notebook's stop after a cancel):
     * Spark closing the session now would end the sweeps that cancel the jobs the interrupt may
     * have left, so the session is closed once they are done and the client is answered now, as
     * Spark would answer. With allow_reconnect the client may come back under the same id at once:
     * such a release is relayed.
     */
    private void releaseAfterSweeps() {
        relay.releaseLater(session);
        sessions.released(session.sessionId());
        ReleaseSessionResponse.Builder response = ReleaseSessionResponse.newBuilder().setSessionId(session.sessionId());
        session.serverSideSessionId().ifPresent(response::setServerSideSessionId);
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            downstream.sendHeaders(new Metadata());
            downstream.sendMessage(response.build().toByteArray());
            downstream.close(Status.OK, new Metadata());
        }
        end(Status.OK);
    }

    @Override
    public void onHalfClose() {
        synchronized (lock) {
            if (admitting) {
                halfClosed = true;
            } else if (upstream != null && !closed) {
                upstream.halfClose();
            }
        }
    }

    @Override
    public void onCancel() {
        synchronized (lock) {
            closed = true;
            if (upstream != null) {
                upstream.cancel("the Spark Connect client cancelled the call", null);
            }
        }
        // Spark notices a cancelled non-reattachable ExecutePlan only when it next has a response to
        // send (55 s for a long aggregation in ConnectFrontTest): interrupt the operation at once.
        // A reattachable one is left alone: its client reattaches, or releases and interrupts it itself.
        if (interruptOnCancel && session != null) {
            relay.interrupt(session, operationId);
        }
        end(Status.CANCELLED);
    }

    @Override
    public void onReady() {
        synchronized (lock) {
            if (wantResponse && upstream != null && downstream.isReady()) {
                wantResponse = false;
                upstream.request(1);
            }
        }
    }

    private void fail(Status status) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (upstream != null) {
                upstream.cancel("refused by the gateway: " + status.getDescription(), null);
            }
            downstream.close(status, new Metadata());
        }
        end(status);
    }

    private void end(Status status) {
        if (ended.compareAndSet(false, true)) {
            if (operation) {
                sessions.endOperation(principal, entry);
            }
            relay.count(method, principal, status.getCode());
            FrontAudit.log(method, principal, session == null ? "" : session.sessionId(), operationId,
                    fingerprint, status, System.nanoTime() - startNanos);
        }
    }

    /** Spark's side of the call: each response goes to the client as it came. */
    private final class Upstream extends ClientCall.Listener<byte[]> {

        private final boolean releasesSession;

        Upstream(boolean releasesSession) {
            this.releasesSession = releasesSession;
        }

        @Override
        public void onHeaders(Metadata headers) {
            synchronized (lock) {
                if (!closed) {
                    downstream.sendHeaders(headers);
                }
            }
        }

        @Override
        public void onMessage(byte[] response) {
            byte[] out;
            try {
                out = redactsConfig ? FrontRequests.redactConfig(response) : response;
                if (sweepsAfterInterrupt) {
                    // What the client interrupted may leave jobs behind as the gateway's own interrupts may.
                    relay.sweepAfterInterrupt(session, response);
                }
            } catch (RuntimeException e) {
                fail(FrontStatus.of(e));
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                downstream.sendMessage(out);
                if (downstream.isReady()) {
                    upstream.request(1);
                } else {
                    wantResponse = true;
                }
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            synchronized (lock) {
                if (!closed) {
                    closed = true;
                    downstream.close(status, trailers);
                }
            }
            if (status.isOk() && releasesSession) {
                sessions.released(session.sessionId());
            }
            end(status);
        }

        @Override
        public void onReady() {
            synchronized (lock) {
                if (wantRequest && !closed) {
                    wantRequest = false;
                    downstream.request(1);
                }
            }
        }
    }
}
