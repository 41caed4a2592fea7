package dev.weft.controlplane.ads;

import com.google.protobuf.Any;
import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.logging.Logger;

/** A state-of-the-world ADS stream: every response carries all subscribed resources of its type. */
final class SotwStream implements StreamObserver<DiscoveryRequest>, ProxyStream {

    private static final Logger LOG = Logger.getLogger(SotwStream.class.getName());

    private final AdsServer server;
    private final StreamObserver<DiscoveryResponse> responses;
    private final Map<XdsType, TypeTracker> trackers = new EnumMap<>(XdsType.class);
    private ProxyNode proxy;
    private long nonces;
    private boolean closed;

    SotwStream(AdsServer server, StreamObserver<DiscoveryResponse> responses) {
        this.server = server;
        this.responses = responses;
    }

    @Override
    public synchronized ProxyNode proxy() {
        return proxy;
    }

    @Override
    public synchronized void onNext(DiscoveryRequest request) {
        if (closed) {
            return;
        }
        if (proxy == null) {
            try {
                proxy = ProxyNode.fromNode(request.getNode());
            } catch (IllegalArgumentException e) {
                fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
                return;
            }
            server.opened(this);
        }
        var type = XdsType.fromTypeUrl(request.getTypeUrl());
        if (type.isEmpty()) {
            LOG.warning(() -> proxy.nodeId() + " asked for unsupported type " + request.getTypeUrl());
            return;
        }
        TypeTracker tracker = trackers.computeIfAbsent(type.get(), TypeTracker::new);
        Set<String> names = Set.copyOf(request.getResourceNamesList());
        String nonce = request.getResponseNonce();
        if (!nonce.isEmpty()) {
            if (!nonce.equals(tracker.sentNonce)) {
                return;
            }
            if (request.hasErrorDetail()) {
                String error = request.getErrorDetail().getMessage();
                tracker.nacked(error);
                LOG.warning(() -> "NACK from " + proxy.nodeId() + " for " + type.get().shortName()
                        + " version " + tracker.sentVersion + " (keeps " + display(tracker.ackedVersion)
                        + "): " + error);
                return;
            }
            tracker.acked(request.getVersionInfo());
            if (names.equals(tracker.subscribed)) {
                return;
            }
        }
        tracker.subscribed = names;
        send(tracker, server.currentVersion(), true);
    }

    private static String display(String version) {
        return version.isEmpty() ? "nothing" : version;
    }

    @Override
    public synchronized void push(PushRequest request, String version) {
        if (closed || proxy == null) {
            return;
        }
        for (XdsType type : XdsType.values()) {
            TypeTracker tracker = trackers.get(type);
            if (tracker != null && (request.full() || type == XdsType.ENDPOINT)) {
                send(tracker, version, false);
            }
        }
    }

    private void send(TypeTracker tracker, String version, boolean always) {
        Optional<SortedMap<String, Any>> generated = server.generate(proxy, tracker.type);
        if (generated.isEmpty()) {
            return;
        }
        SortedMap<String, Any> resources = generated.get();
        List<Any> selected = new ArrayList<>();
        resources.forEach((name, body) -> {
            if (tracker.subscribed.isEmpty() || tracker.subscribed.contains("*")
                    || tracker.subscribed.contains(name)) {
                selected.add(body);
            }
        });
        if (!always && tracker.everSent && selected.equals(tracker.sentResources)) {
            return;
        }
        String nonce = Long.toString(++nonces);
        responses.onNext(DiscoveryResponse.newBuilder()
                .setTypeUrl(tracker.type.typeUrl())
                .setVersionInfo(version)
                .setNonce(nonce)
                .addAllResources(selected)
                .build());
        tracker.sent(version, nonce, selected);
    }

    @Override
    public synchronized ProxyStatus status() {
        List<TypeStatus> types = trackers.values().stream().map(TypeTracker::status).toList();
        return new ProxyStatus(proxy.nodeId(), proxy.namespace(), "sotw", types);
    }

    private void fail(Status status) {
        closed = true;
        responses.onError(status.asRuntimeException());
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
