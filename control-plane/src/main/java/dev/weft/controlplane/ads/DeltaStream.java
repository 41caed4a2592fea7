package dev.weft.controlplane.ads;

import com.google.protobuf.Any;
import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An incremental (delta) ADS stream: responses carry only resources whose version changed since the
 * proxy last got them, plus the names that went away. Resource versions are content hashes.
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
    private final StreamObserver<DeltaDiscoveryResponse> responses;
    private final Map<XdsType, DeltaType> types = new EnumMap<>(XdsType.class);
    private ProxyNode proxy;
    private long nonces;
    private boolean closed;

    DeltaStream(AdsServer server, StreamObserver<DeltaDiscoveryResponse> responses) {
        this.server = server;
        this.responses = responses;
    }

    @Override
    public synchronized ProxyNode proxy() {
        return proxy;
    }

    @Override
    public synchronized void onNext(DeltaDiscoveryRequest request) {
        if (closed) {
            return;
        }
        if (proxy == null) {
            try {
                proxy = ProxyNode.fromNode(request.getNode());
            } catch (IllegalArgumentException e) {
                closed = true;
                responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                return;
            }
            server.opened(this);
        }
        var type = XdsType.fromTypeUrl(request.getTypeUrl());
        if (type.isEmpty()) {
            LOG.warning(() -> proxy.nodeId() + " asked for unsupported type " + request.getTypeUrl());
            return;
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
                state.names.add(name);
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
        if (subscriptionChanged) {
            send(state, server.currentVersion());
        }
    }

    @Override
    public synchronized void push(PushRequest request, String version) {
        if (closed || proxy == null) {
            return;
        }
        for (XdsType type : XdsType.values()) {
            DeltaType state = types.get(type);
            if (state != null && (request.full() || type == XdsType.ENDPOINT)) {
                send(state, version);
            }
        }
    }

    private void send(DeltaType state, String version) {
        Optional<SortedMap<String, Any>> generated = server.generate(proxy, state.tracker.type);
        if (generated.isEmpty()) {
            return;
        }
        SortedMap<String, Any> current = generated.get();
        List<Resource> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        current.forEach((name, body) -> {
            if (!state.wants(name)) {
                return;
            }
            String resourceVersion = hash(body);
            if (!resourceVersion.equals(state.known.get(name))) {
                changed.add(Resource.newBuilder().setName(name).setVersion(resourceVersion).setResource(body).build());
                state.known.put(name, resourceVersion);
            }
        });
        for (String name : new HashSet<>(state.known.keySet())) {
            if (!current.containsKey(name) || !state.wants(name)) {
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
        responses.onNext(DeltaDiscoveryResponse.newBuilder()
                .setTypeUrl(state.tracker.type.typeUrl())
                .setSystemVersionInfo(version)
                .setNonce(nonce)
                .addAllResources(changed)
                .addAllRemovedResources(removed)
                .build());
        state.tracker.sent(version, nonce, List.of());
    }

    private static String hash(Any body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.toByteArray());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public synchronized ProxyStatus status() {
        List<TypeStatus> statuses = types.values().stream().map(t -> t.tracker.status()).toList();
        return new ProxyStatus(proxy.nodeId(), proxy.namespace(), "delta", statuses);
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
