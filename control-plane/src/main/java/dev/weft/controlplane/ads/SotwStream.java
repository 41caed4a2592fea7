package dev.weft.controlplane.ads;

import com.google.protobuf.Any;
import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.logging.Logger;

/**
 * A state-of-the-world ADS stream: every response carries all subscribed resources of its type. Requests are
 * handled on gRPC's executor and only record what the proxy wants; responses are written by {@link PendingSends}.
 */
final class SotwStream implements StreamObserver<DiscoveryRequest>, ProxyStream {

    private static final Logger LOG = Logger.getLogger(SotwStream.class.getName());

    private final AdsServer server;
    private final ServerCallStreamObserver<DiscoveryResponse> responses;
    private final PendingSends sends;
    private final Map<XdsType, TypeTracker> trackers = new EnumMap<>(XdsType.class);
    private ProxyNode proxy;
    private Node node;
    private long nonces;
    private boolean closed;

    SotwStream(AdsServer server, ServerCallStreamObserver<DiscoveryResponse> responses, Executor workers) {
        this.server = server;
        this.responses = responses;
        this.sends = new PendingSends(workers, responses::isReady, this::write);
        responses.setOnReadyHandler(sends::resume);
        responses.setOnCancelHandler(this::close);
    }

    @Override
    public synchronized ProxyNode proxy() {
        return proxy;
    }

    @Override
    public void onNext(DiscoveryRequest request) {
        Optional<XdsType> answer;
        synchronized (this) {
            answer = handle(request);
        }
        answer.ifPresent(type -> sends.request(type, server.currentVersion(), true));
    }

    /** Records the request; the type to answer if the proxy asked for something new. */
    private Optional<XdsType> handle(DiscoveryRequest request) {
        if (closed) {
            return Optional.empty();
        }
        if (proxy == null) {
            try {
                proxy = ProxyNode.fromNode(request.getNode());
                node = request.getNode();
            } catch (IllegalArgumentException e) {
                closed = true;
                responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                return Optional.empty();
            }
            server.opened(this);
        }
        var type = XdsType.fromTypeUrl(request.getTypeUrl());
        if (type.isEmpty()) {
            LOG.warning(() -> proxy.nodeId() + " asked for unsupported type " + request.getTypeUrl());
            return Optional.empty();
        }
        TypeTracker tracker = trackers.computeIfAbsent(type.get(), TypeTracker::new);
        Set<String> names = subscription(request.getResourceNamesList());
        String nonce = request.getResponseNonce();
        if (!nonce.isEmpty()) {
            if (!nonce.equals(tracker.sentNonce)) {
                return Optional.empty();
            }
            if (request.hasErrorDetail()) {
                String error = request.getErrorDetail().getMessage();
                tracker.nacked(error);
                LOG.warning(() -> "NACK from " + proxy.nodeId() + " for " + type.get().shortName()
                        + " version " + tracker.sentVersion + " (keeps " + display(tracker.ackedVersion)
                        + "): " + error);
                return Optional.empty();
            }
            tracker.acked(request.getVersionInfo());
            if (names.equals(tracker.subscribed)) {
                return Optional.empty();
            }
        }
        tracker.subscribed = names;
        return type;
    }

    /**
     * The names as one shared instance each: thousands of proxies subscribe to the same hundred cluster names, and
     * per-proxy copies of them were most of a stream's heap.
     */
    private static Set<String> subscription(List<String> names) {
        return names.stream().map(String::intern).collect(Collectors.toUnmodifiableSet());
    }

    private static String display(String version) {
        return version.isEmpty() ? "nothing" : version;
    }

    @Override
    public void push(PushRequest request, long version) {
        List<XdsType> types;
        synchronized (this) {
            if (closed || proxy == null) {
                return;
            }
            types = trackers.keySet().stream().filter(request::covers).toList();
        }
        types.forEach(type -> sends.request(type, version, false));
    }

    /**
     * Sends the subscribed resources of a type. On a push, an unchanged type is not sent, and endpoints go out
     * incrementally (only the assignments that changed): in state of the world, the xDS protocol treats an EDS
     * response's omissions as unchanged, unlike CDS and LDS (and weft-proxy's RDS), whose responses are complete.
     */
    private synchronized void write(XdsType type, long version, boolean always) {
        TypeTracker tracker = trackers.get(type);
        if (closed || tracker == null) {
            return;
        }
        Optional<PackedResources> generated = server.generate(proxy, node, type);
        if (generated.isEmpty()) {
            return;
        }
        PackedResources current = generated.get();
        SortedMap<String, Any> before = tracker.sentFrom.byName();
        List<Any> selected = new ArrayList<>();
        List<Any> changed = new ArrayList<>();
        current.byName().forEach((name, body) -> {
            if (tracker.wants(name)) {
                selected.add(body);
                if (!body.equals(before.get(name))) {
                    changed.add(body);
                }
            }
        });
        boolean onPush = !always && tracker.everSent;
        if (onPush && changed.isEmpty() && before.keySet().stream()
                .noneMatch(name -> tracker.wants(name) && !current.byName().containsKey(name))) {
            return;
        }
        List<Any> resources = onPush && type == XdsType.ENDPOINT && !changed.isEmpty() ? changed : selected;
        String nonce = Long.toString(++nonces);
        String versionInfo = Long.toString(version);
        responses.onNext(DiscoveryResponse.newBuilder()
                .setTypeUrl(type.typeUrl())
                .setVersionInfo(versionInfo)
                .setNonce(nonce)
                .addAllResources(resources)
                .build());
        tracker.sent(versionInfo, nonce, current);
    }

    @Override
    public synchronized ProxyStatus status() {
        List<TypeStatus> types = trackers.values().stream().map(TypeTracker::status).toList();
        return new ProxyStatus(proxy.nodeId(), proxy.namespace(), "sotw", types, !sends.idle());
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
        if (closing != null) {
            server.closed(this);
        }
    }
}
