package dev.weft.controlplane.ads;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** A state-of-the-world ADS stream: every response carries all subscribed resources of its type (EDS pushes aside). */
final class SotwStream extends AdsStream<DiscoveryRequest, DiscoveryResponse> {

    private static final Logger LOG = Logger.getLogger(SotwStream.class.getName());

    SotwStream(AdsServer server, ServerCallStreamObserver<DiscoveryResponse> responses, Executor workers,
            SendBudget budget) {
        super(server, responses, workers, budget);
    }

    @Override
    String kind() {
        return "sotw";
    }

    @Override
    Node nodeOf(DiscoveryRequest request) {
        return request.getNode();
    }

    @Override
    String typeUrlOf(DiscoveryRequest request) {
        return request.getTypeUrl();
    }

    @Override
    boolean handle(XdsType type, TypeTracker tracker, boolean first, DiscoveryRequest request) {
        Set<String> names = subscription(request.getResourceNamesList());
        String nonce = request.getResponseNonce();
        if (!nonce.isEmpty()) {
            if (!nonce.equals(tracker.sentNonce)) {
                return false;
            }
            if (request.hasErrorDetail()) {
                String error = request.getErrorDetail().getMessage();
                tracker.nacked(error);
                server.observer().rejected(type, proxy().nodeId(), request.getErrorDetail().getCode());
                LOG.warning(() -> "NACK from " + proxy().nodeId() + " for " + type.shortName()
                        + " version " + tracker.sentVersion + " (keeps " + display(tracker.ackedVersion)
                        + "): " + error);
                return false;
            }
            tracker.acked(request.getVersionInfo());
            if (names.equals(tracker.subscribed)) {
                return false;
            }
        }
        tracker.subscribed = names;
        return true;
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

    /**
     * On a push, an unchanged type is not sent, and endpoints go out incrementally (only the assignments that
     * changed): in state of the world, the xDS protocol treats an EDS response's omissions as unchanged, unlike CDS
     * and LDS (and weft-proxy's RDS), whose responses are complete.
     */
    @Override
    Optional<DiscoveryResponse> respond(XdsType type, TypeTracker tracker, PackedResources current, String version,
            boolean always) {
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
            return Optional.empty();
        }
        List<Any> resources = onPush && type == XdsType.ENDPOINT && !changed.isEmpty() ? changed : selected;
        String nonce = nextNonce();
        tracker.sent(version, nonce, current);
        return Optional.of(DiscoveryResponse.newBuilder()
                .setTypeUrl(type.typeUrl())
                .setVersionInfo(version)
                .setNonce(nonce)
                .addAllResources(resources)
                .build());
    }
}
