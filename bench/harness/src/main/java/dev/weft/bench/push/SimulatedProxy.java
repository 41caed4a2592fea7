package dev.weft.bench.push;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A lightweight Envoy on one ADS stream: it subscribes to clusters and listeners, then to the endpoints and
 * route configurations they name, ACKs every response, and remembers only versions and names, so thousands fit
 * in one JVM. It records when it ACKed each route configuration push.
 */
final class SimulatedProxy {

    static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    static final String ROUTES = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    static final String ENDPOINTS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    private final Node node;
    private final StreamObserver<DiscoveryRequest> requests;
    private Set<String> routeNames = Set.of();
    private volatile Set<String> endpointNames = Set.of();
    private volatile String routeVersion = "";
    private volatile boolean endpointsAcked;
    private volatile long routeAckNanos;
    private volatile String error;

    private SimulatedProxy(Channel channel, Node node) {
        this.node = node;
        this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                try {
                    answer(response);
                } catch (RuntimeException e) {
                    error = String.valueOf(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                // The status alone (often UNKNOWN) hides why a stream ended: keep its description and cause.
                error = t + (t.getCause() == null ? "" : " caused by " + t.getCause());
            }

            @Override
            public void onCompleted() {
                error = "stream completed by weftd";
            }
        });
    }

    /** A sidecar for workload {@code index} of app {@code app}, with the node ID and labels Istio's agent sends. */
    static SimulatedProxy connect(Channel channel, int index, String app, String version) {
        String ip = "10." + (index >> 16 & 0xff) + "." + (index >> 8 & 0xff) + "." + (index & 0xff);
        Struct labels = Struct.newBuilder()
                .putFields("app", Value.newBuilder().setStringValue(app).build())
                .putFields("version", Value.newBuilder().setStringValue(version).build()).build();
        Node node = Node.newBuilder()
                .setId("sidecar~" + ip + "~" + app + "-" + version + "-" + index + ".default~default.svc.cluster.local")
                .setCluster(app + ".default")
                .setMetadata(Struct.newBuilder()
                        .putFields("LABELS", Value.newBuilder().setStructValue(labels).build())
                        .putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())
                        .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("bookinfo-" + app).build())
                        .putFields("INSTANCE_IPS", Value.newBuilder().setStringValue(ip).build()))
                .build();
        SimulatedProxy proxy = new SimulatedProxy(channel, node);
        proxy.subscribe(CLUSTERS, Set.of(), true);
        proxy.subscribe(LISTENERS, Set.of(), true);
        return proxy;
    }

    boolean synced() {
        return !routeVersion.isEmpty() && (endpointsAcked || endpointNames.isEmpty()) && error == null;
    }

    String routeVersion() {
        return routeVersion;
    }

    /** When the last route configuration response was ACKed, by {@link System#nanoTime()}. */
    long routeAckNanos() {
        return routeAckNanos;
    }

    String error() {
        return error;
    }

    void close() {
        requests.onCompleted();
    }

    private synchronized void subscribe(String typeUrl, Set<String> names, boolean withNode) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNames(names);
        if (withNode) {
            request.setNode(node);
        }
        requests.onNext(request.build());
    }

    private synchronized void answer(DiscoveryResponse response) {
        String type = response.getTypeUrl();
        Set<String> names = switch (type) {
            case ROUTES -> routeNames;
            case ENDPOINTS -> endpointNames;
            default -> Set.of();
        };
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(type).setVersionInfo(response.getVersionInfo())
                .setResponseNonce(response.getNonce()).addAllResourceNames(names).build());
        switch (type) {
            case ROUTES -> {
                routeVersion = response.getVersionInfo();
                routeAckNanos = System.nanoTime();
            }
            case ENDPOINTS -> endpointsAcked = true;
            case CLUSTERS -> {
                Set<String> eds = edsClusters(response.getResourcesList());
                if (!eds.equals(endpointNames)) {
                    endpointNames = eds;
                    subscribe(ENDPOINTS, eds, false);
                }
            }
            case LISTENERS -> {
                Set<String> rds = routeConfigNames(response.getResourcesList());
                if (!rds.equals(routeNames)) {
                    routeNames = rds;
                    subscribe(ROUTES, rds, false);
                }
            }
            default -> {
            }
        }
    }

    static Set<String> edsClusters(List<Any> resources) {
        Set<String> names = new TreeSet<>();
        for (Any any : resources) {
            Cluster c = unpack(any, Cluster.class);
            if (c.getType() == Cluster.DiscoveryType.EDS) {
                names.add(c.getEdsClusterConfig().getServiceName().isEmpty() ? c.getName()
                        : c.getEdsClusterConfig().getServiceName());
            }
        }
        return names;
    }

    static Set<String> routeConfigNames(List<Any> resources) {
        Set<String> names = new TreeSet<>();
        for (Any any : resources) {
            Listener listener = unpack(any, Listener.class);
            for (FilterChain chain : listener.getFilterChainsList()) {
                for (Filter filter : chain.getFiltersList()) {
                    if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                        HttpConnectionManager hcm = unpack(filter.getTypedConfig(), HttpConnectionManager.class);
                        if (hcm.hasRds()) {
                            names.add(hcm.getRds().getRouteConfigName());
                        }
                    }
                }
            }
        }
        return names;
    }

    private static <T extends Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("weftd sent an unreadable " + type.getSimpleName(), e);
        }
    }
}
