package dev.weft.controlplane.ads;

import com.google.protobuf.MessageLite;
import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What state-of-the-world and delta ADS streams share: the node from the first request, opening and closing, one
 * {@link TypeTracker} per requested type, nonces, and writing. Requests are handled on gRPC's executor and only record
 * what the proxy wants; responses are prepared and written by {@link PendingSends} on the workers, each taking its
 * size from the server's {@link SendBudget} until gRPC has written it to the socket.
 *
 * @param <Q> the request message
 * @param <R> the response message
 */
abstract class AdsStream<Q, R extends MessageLite> implements StreamObserver<Q>, ProxyStream {

    private static final Logger LOG = Logger.getLogger(AdsStream.class.getName());
    /**
     * gRPC calls a stream ready while less than this much of it is queued; at one byte, ready means everything
     * written so far has reached the socket, so the bytes a stream gives back to the budget really left weftd.
     */
    private static final int READY_WHEN_QUEUED_BELOW = 1;

    final AdsServer server;
    private final ServerCallStreamObserver<R> responses;
    private final SendBudget budget;
    private final PendingSends sends;
    /** Bytes of this stream's responses taken from the budget and not yet known to have left. */
    private final AtomicLong held = new AtomicLong();
    /** Guarded by this stream's lock, as is all per-type state of subclasses. */
    private final Map<XdsType, TypeTracker> trackers = new EnumMap<>(XdsType.class);
    /**
     * The types pushes asked this stream to send and not yet delivered, each with the push version that asked last;
     * when none is left the proxy has converged, counted from {@link #unconvergedSince}, its oldest change.
     */
    private final Map<XdsType, Long> converging = new EnumMap<>(XdsType.class);
    private Instant unconvergedSince;
    private ProxyNode proxy;
    private Node node;
    private long nonces;
    private boolean closed;

    AdsStream(AdsServer server, ServerCallStreamObserver<R> responses, Executor workers, SendBudget budget) {
        this.server = server;
        this.responses = responses;
        this.budget = budget;
        this.sends = new PendingSends(workers, budget, responses::isReady, this::prepare);
        responses.setOnReadyThreshold(READY_WHEN_QUEUED_BELOW);
        responses.setOnReadyHandler(() -> {
            releaseIfWritten();
            sends.resume();
        });
        responses.setOnCancelHandler(this::close);
    }

    /** "sotw" or "delta", for /debug/syncz. */
    abstract String kind();

    abstract Node nodeOf(Q request);

    abstract String typeUrlOf(Q request);

    /**
     * Records a request of a type weftd serves, under the stream's lock; the type to answer if the proxy asked for
     * something new. {@code first} when this is the type's first request on the stream.
     */
    abstract boolean handle(XdsType type, TypeTracker tracker, boolean first, Q request);

    /**
     * The response for a type from {@code current}, or empty when the proxy has it all already; under the stream's
     * lock. {@code always} when the proxy asked, so even unchanged content is answered.
     */
    abstract Optional<R> respond(XdsType type, TypeTracker tracker, PackedResources current, String version,
            boolean always);

    @Override
    public synchronized ProxyNode proxy() {
        return proxy;
    }

    @Override
    public synchronized Node node() {
        return node;
    }

    @Override
    public final void onNext(Q request) {
        Optional<XdsType> answer;
        synchronized (this) {
            answer = accept(request);
        }
        answer.ifPresent(type -> sends.request(type, server.currentVersion(), true));
    }

    private Optional<XdsType> accept(Q request) {
        if (closed || (proxy == null && !open(nodeOf(request)))) {
            return Optional.empty();
        }
        Optional<XdsType> type = XdsType.fromTypeUrl(typeUrlOf(request));
        if (type.isEmpty()) {
            LOG.warning(() -> proxy.nodeId() + " asked for unsupported type " + typeUrlOf(request));
            return Optional.empty();
        }
        boolean first = !trackers.containsKey(type.get());
        TypeTracker tracker = trackers.computeIfAbsent(type.get(), TypeTracker::new);
        return handle(type.get(), tracker, first, request) ? type : Optional.empty();
    }

    /**
     * The first request names the node; a node that is not admitted, or that weftd cannot read, ends the stream with
     * the reason. The node is kept without its proxy token.
     */
    private boolean open(Node first) {
        Optional<String> refused = server.refusal(first);
        if (refused.isPresent()) {
            LOG.warning(() -> "refused an ADS stream: " + refused.get());
            closed = true;
            responses.onError(Status.UNAUTHENTICATED.withDescription(refused.get()).asRuntimeException());
            return false;
        }
        Node admitted = ProxyTokens.withoutToken(first);
        try {
            proxy = ProxyNode.fromNode(admitted);
            node = admitted;
        } catch (IllegalArgumentException e) {
            closed = true;
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return false;
        }
        server.opened(this);
        return true;
    }

    /**
     * Asks for the pushed types the proxy subscribed to, except those whose shared result for its scope is the very
     * one it was last sent: a push that leaves a scope's output alone touches none of its streams.
     */
    @Override
    public void push(PushRequest request, long version) {
        ProxyNode pushedTo;
        Node pushedNode;
        Map<XdsType, PackedResources> lastSent = new EnumMap<>(XdsType.class);
        synchronized (this) {
            if (closed || proxy == null) {
                return;
            }
            pushedTo = proxy;
            pushedNode = node;
            trackers.forEach((type, tracker) -> {
                if (request.covers(type)) {
                    lastSent.put(type, tracker.everSent ? tracker.sentFrom : null);
                }
            });
        }
        List<XdsType> changed = new ArrayList<>();
        lastSent.forEach((type, sent) -> {
            if (sent == null || server.generate(pushedTo, pushedNode, type).orElse(null) != sent) {
                changed.add(type);
            }
        });
        if (changed.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (unconvergedSince == null || request.start().isBefore(unconvergedSince)) {
                unconvergedSince = request.start();
            }
            changed.forEach(type -> converging.merge(type, version, Math::max));
        }
        changed.forEach(type -> sends.request(type, version, false));
    }

    /**
     * A response of this version or later reached gRPC, or the proxy had its content already; under the lock. The
     * last type a push waited for makes the proxy converged.
     */
    private void delivered(XdsType type, long version) {
        Long awaited = converging.get(type);
        if (awaited == null || awaited > version) {
            return;
        }
        converging.remove(type);
        if (converging.isEmpty()) {
            server.observer().converged(unconvergedSince);
            unconvergedSince = null;
        }
    }

    /** The response for a pending send, generated outside the stream's lock (the first of a scope may take a while). */
    private Optional<PendingSends.Response> prepare(XdsType type, long version, boolean always) {
        long started = System.nanoTime();
        ProxyNode forProxy;
        Node forNode;
        synchronized (this) {
            if (closed || !trackers.containsKey(type)) {
                return Optional.empty();
            }
            forProxy = proxy;
            forNode = node;
        }
        Optional<PackedResources> generated = server.generate(forProxy, forNode, type);
        if (generated.isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            if (closed) {
                return Optional.empty();
            }
            Optional<R> response = respond(type, trackers.get(type), generated.get(), Long.toString(version), always);
            if (response.isEmpty()) {
                delivered(type, version);
            }
            return response.map(r -> {
                long bytes = r.getSerializedSize();
                return new PendingSends.Response(bytes, () -> send(type, version, r, bytes, started));
            });
        }
    }

    /** The next nonce of this stream; under its lock. */
    final String nextNonce() {
        return Long.toString(++nonces);
    }

    /** {@code started}: when preparing it began, so the push time covers generating, waiting and writing. */
    private void send(XdsType type, long version, R response, long bytes, long started) {
        held.addAndGet(bytes);
        synchronized (this) {
            if (!closed) {
                boolean failed = false;
                try {
                    responses.onNext(response);
                } catch (RuntimeException e) {
                    failed = true;
                    LOG.log(Level.WARNING, "sending to " + proxy.nodeId() + " failed", e);
                }
                server.observer().responseSent(type, bytes, System.nanoTime() - started, failed);
                if (!failed) {
                    delivered(type, version);
                }
            }
        }
        releaseIfWritten();
    }

    /** Gives the budget back what this stream holds once gRPC has written all of it, or the stream is gone. */
    private void releaseIfWritten() {
        boolean gone;
        synchronized (this) {
            gone = closed;
        }
        if (gone || responses.isReady()) {
            long bytes = held.getAndSet(0);
            if (bytes > 0) {
                budget.release(bytes);
            }
        }
    }

    @Override
    public synchronized ProxyStatus status() {
        List<TypeStatus> types = trackers.values().stream().map(TypeTracker::status).toList();
        return new ProxyStatus(proxy.nodeId(), proxy.namespace(), kind(), types, !sends.idle());
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    @Override
    public void onCompleted() {
        close();
        synchronized (this) {
            responses.onCompleted();
        }
    }

    private void close() {
        ProxyNode closing;
        synchronized (this) {
            closed = true;
            closing = proxy;
        }
        releaseIfWritten();
        if (closing != null) {
            server.closed(this);
        }
    }
}
