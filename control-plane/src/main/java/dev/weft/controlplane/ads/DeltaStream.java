package dev.weft.controlplane.ads;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.ServerCallStreamObserver;
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
 * proxy last got them, plus the names that went away. Resource versions are content hashes.
 */
final class DeltaStream extends AdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

    private static final Logger LOG = Logger.getLogger(DeltaStream.class.getName());

    /** What the proxy holds of one type, and what it asked for. */
    private static final class Subscription {
        boolean wildcard;
        final Set<String> names = new TreeSet<>();
        final Map<String, String> known = new HashMap<>();

        boolean wants(String name) {
            return wildcard || names.contains(name);
        }
    }

    /** Guarded by the stream's lock. */
    private final Map<XdsType, Subscription> subscriptions = new EnumMap<>(XdsType.class);

    DeltaStream(AdsServer server, ServerCallStreamObserver<DeltaDiscoveryResponse> responses, Executor workers,
            SendBudget budget) {
        super(server, responses, workers, budget);
    }

    @Override
    String kind() {
        return "delta";
    }

    @Override
    Node nodeOf(DeltaDiscoveryRequest request) {
        return request.getNode();
    }

    @Override
    String typeUrlOf(DeltaDiscoveryRequest request) {
        return request.getTypeUrl();
    }

    /** Answers when the subscription changed. */
    @Override
    boolean handle(XdsType type, TypeTracker tracker, boolean first, DeltaDiscoveryRequest request) {
        Subscription state = subscriptions.computeIfAbsent(type, t -> new Subscription());
        String nonce = request.getResponseNonce();
        if (!nonce.isEmpty() && nonce.equals(tracker.sentNonce)) {
            if (request.hasErrorDetail()) {
                String error = request.getErrorDetail().getMessage();
                tracker.nacked(error);
                server.observer().rejected(type, proxy().nodeId(), request.getErrorDetail().getCode());
                LOG.warning(() -> "delta NACK from " + proxy().nodeId() + " for " + type.shortName()
                        + " version " + tracker.sentVersion + ": " + error);
            } else {
                tracker.acked(tracker.sentVersion);
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
        return first || request.getResourceNamesSubscribeCount() > 0;
    }

    /** Sends what changed; the first response of a type goes out even when empty, so the proxy knows it has all. */
    @Override
    Optional<DeltaDiscoveryResponse> respond(XdsType type, TypeTracker tracker, PackedResources current,
            String version, boolean always) {
        Subscription state = subscriptions.get(type);
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
        if (changed.isEmpty() && removed.isEmpty() && tracker.everSent) {
            return Optional.empty();
        }
        removed.sort(null);
        String nonce = nextNonce();
        tracker.sent(version, nonce, current);
        return Optional.of(DeltaDiscoveryResponse.newBuilder()
                .setTypeUrl(type.typeUrl())
                .setSystemVersionInfo(version)
                .setNonce(nonce)
                .addAllResources(changed)
                .addAllRemovedResources(removed)
                .build());
    }
}
