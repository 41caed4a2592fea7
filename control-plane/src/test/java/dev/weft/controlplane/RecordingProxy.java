package dev.weft.controlplane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.weft.controlplane.ads.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test proxy on a real gRPC ADS stream: it ACKs what it gets (or NACKs once when told to) and keeps the
 * last accepted resources of each type, like a well-behaved Envoy.
 */
final class RecordingProxy implements AutoCloseable {

    private final ManagedChannel channel;
    private final StreamObserver<DiscoveryRequest> requests;
    private final Node node;
    private final Map<XdsType, Map<String, Message>> accepted = new ConcurrentHashMap<>();
    private final Map<XdsType, Set<String>> subscriptions = new ConcurrentHashMap<>();
    private final Map<XdsType, String> acceptedVersions = new ConcurrentHashMap<>();
    private final Map<XdsType, String> nackNext = new ConcurrentHashMap<>();
    final List<DiscoveryResponse> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> error = new AtomicReference<>();

    /** On weftd's plain-text xDS port. */
    RecordingProxy(int port, Node node) {
        this(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(), node);
    }

    /** On a channel of the test's making (TLS). */
    RecordingProxy(ManagedChannel channel, Node node) {
        this.node = node;
        this.channel = channel;
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                received.add(response);
                answer(response);
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    synchronized void subscribe(XdsType type, String... names) {
        subscriptions.put(type, Set.of(names));
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type.typeUrl())
                .addAllResourceNames(List.of(names)).build());
    }

    void nackNext(XdsType type, String error) {
        nackNext.put(type, error);
    }

    /** How weftd ended the stream, if it did. */
    Optional<Throwable> error() {
        return Optional.ofNullable(error.get());
    }

    Map<String, Message> accepted(XdsType type) {
        return accepted.getOrDefault(type, Map.of());
    }

    long responsesOf(XdsType type) {
        return received.stream().filter(r -> r.getTypeUrl().equals(type.typeUrl())).count();
    }

    private synchronized void answer(DiscoveryResponse response) {
        XdsType type = XdsType.fromTypeUrl(response.getTypeUrl()).orElseThrow();
        DiscoveryRequest.Builder reply = DiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl())
                .setResponseNonce(response.getNonce())
                .addAllResourceNames(subscriptions.getOrDefault(type, Set.of()));
        String nack = nackNext.remove(type);
        if (nack != null) {
            reply.setVersionInfo(acceptedVersions.getOrDefault(type, ""))
                    .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(nack));
        } else {
            Map<String, Message> byName = new TreeMap<>();
            for (Any any : response.getResourcesList()) {
                Message message = unpack(type, any);
                byName.put(nameOf(message), message);
            }
            accepted.put(type, byName);
            acceptedVersions.put(type, response.getVersionInfo());
            reply.setVersionInfo(response.getVersionInfo());
        }
        requests.onNext(reply.build());
    }

    private static Message unpack(XdsType type, Any any) {
        try {
            return switch (type) {
                case CLUSTER -> any.unpack(Cluster.class);
                case ENDPOINT -> any.unpack(ClusterLoadAssignment.class);
                case LISTENER -> any.unpack(Listener.class);
                case ROUTE -> any.unpack(RouteConfiguration.class);
                case SECRET -> any.unpack(Secret.class);
            };
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("weftd sent an unreadable " + type, e);
        }
    }

    private static String nameOf(Message message) {
        return switch (message) {
            case Cluster c -> c.getName();
            case ClusterLoadAssignment c -> c.getClusterName();
            case Listener l -> l.getName();
            case RouteConfiguration r -> r.getName();
            case Secret secret -> secret.getName();
            default -> throw new AssertionError("unexpected " + message.getClass());
        };
    }

    @Override
    public void close() throws InterruptedException {
        requests.onCompleted();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
