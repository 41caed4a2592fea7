package dev.weft.controlplane.ads;

import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * An incremental (delta) ADS stream: responses carry only resources whose version changed since the
 * proxy last got them, plus the names that went away. Resource versions are content hashes. Requests only
 * record what the proxy wants; responses are written by {@link PendingSends}.
 */
final class DeltaStream implements StreamObserver<DeltaDiscoveryRequest>, ProxyStream {

    private static final Logger LOG = Logger.getLogger(DeltaStream.class.getName());

    /** What the proxy holds of one type, and what it asked for. */
    private static final class DeltaType {
        final TypeTracker tracker;
        boolean wildcard;
        final Set<String> names = new TreeSet<>();
        final Map<String, String> known = new HashMap<>();

        DeltaType(XdsType type) {
            tracker = new TypeTracker(type);
        }

        boolean wants(String name) {
            return wildcard || names.contains(name);
        }
    }

    private final AdsServer server;
    private final ServerCallStreamObserver<DeltaDiscoveryResponse> responses;
    private final PendingSends sends;
    private final Map<XdsType, DeltaType> types = new EnumMap<>(XdsType.class);
    private ProxyNode proxy;
    private Node node;
    private long nonces;
    private boolean closed;

    DeltaStream(AdsServer server, ServerCallStreamObserver<DeltaDiscoveryResponse> responses, Executor workers) {
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
    public void onNext(DeltaDiscoveryRequest request) {
        Optional<XdsType> answer;
        synchronized (this) {
            answer = handle(request);
        }
        answer.ifPresent(type -> sends.request(type, server.currentVersion(), true));
    }

    /** Records the request; the type to answer if the subscription changed. */
    private Optional<XdsType> handle(DeltaDiscoveryRequest request) {
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
        boolean first = !types.containsKey(type.get());
        DeltaType state = types.computeIfAbsent(type.get(), DeltaType::new);
        String nonce = request.getResponseNonce();
        if (!nonce.isEmpty() && nonce.equals(state.tracker.sentNonce)) {
            if (request.hasErrorDetail()) {
                String error = request.getErrorDetail().getMessage();
                state.tracker.nacked(error);
                LOG.warning(() -> "delta NACK from " + proxy.nodeId() + " for " + type.get().shortName()
                        + " version " + state.tracker.sentVersion + ": " + error);
            } else {
                state.tracker.acked(state.tracker.sentVersion);
            }
        }
        if (first) {
            state.known.putAll(request.getInitialResourceVersionsMap());
            // An initial request naming nothing (or "*") is a wildcard subscription.
            state.wildcard = request.getResourceNamesSubscribeList().isEmpty();
        }
        for (String name : request.getResourceNamesSubscribeList()) {
            if (name.equals("*")) {
                state.wildcard = true;
            } else {
                state.names.add(name.intern());
            }
        }
        for (String name : request.getResourceNamesUnsubscribeList()) {
            if (name.equals("*")) {
                state.wildcard = false;
            } else {
                state.names.remove(name);
            }
            state.known.remove(name);
        }
        boolean subscriptionChanged = first || request.getResourceNamesSubscribeCount() > 0;
        return subscriptionChanged ? type : Optional.empty();
    }

    @Override
    public void push(PushRequest request, long version) {
        List<XdsType> pushed;
        synchronized (this) {
            if (closed || proxy == null) {
                return;
            }
            pushed = types.keySet().stream().filter(request::covers).toList();
        }
        pushed.forEach(type -> sends.request(type, version, false));
    }

    /** Sends what changed; the first response of a type goes out even when empty, so the proxy knows it has all. */
    private synchronized void write(XdsType type, long version, boolean always) {
        DeltaType state = types.get(type);
        if (closed || state == null) {
            return;
        }
        Optional<PackedResources> generated = server.generate(proxy, node, type);
        if (generated.isEmpty()) {
            return;
        }
        PackedResources current = generated.get();
        List<Resource> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        current.byName().forEach((name, body) -> {
            if (!state.wants(name)) {
                return;
            }
            String resourceVersion = current.version(name);
            if (!resourceVersion.equals(state.known.get(name))) {
                changed.add(Resource.newBuilder().setName(name).setVersion(resourceVersion).setResource(body).build());
                state.known.put(name, resourceVersion);
            }
        });
        for (String name : new HashSet<>(state.known.keySet())) {
            if (!current.byName().containsKey(name) || !state.wants(name)) {
                removed.add(name);
                state.known.remove(name);
            }
        }
        boolean firstResponse = !state.tracker.everSent;
        if (changed.isEmpty() && removed.isEmpty() && !firstResponse) {
            return;
        }
        removed.sort(null);
        String nonce = Long.toString(++nonces);
        String versionInfo = Long.toString(version);
        responses.onNext(DeltaDiscoveryResponse.newBuilder()
                .setTypeUrl(type.typeUrl())
                .setSystemVersionInfo(versionInfo)
                .setNonce(nonce)
                .addAllResources(changed)
                .addAllRemovedResources(removed)
                .build());
        state.tracker.sent(versionInfo, nonce, current);
    }

    @Override
    public synchronized ProxyStatus status() {
        List<TypeStatus> statuses = types.values().stream().map(t -> t.tracker.status()).toList();
        return new ProxyStatus(proxy.nodeId(), proxy.namespace(), "delta", statuses, !sends.idle());
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
