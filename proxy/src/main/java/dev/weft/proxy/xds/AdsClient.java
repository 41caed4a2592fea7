package dev.weft.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.tls.SecretReferences;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * A state-of-the-world ADS client. It subscribes to clusters and listeners, then to the endpoints and routes they
 * name. Every response is applied and answered: an ACK with its version, or a NACK that keeps the last accepted
 * version and says why in {@code error_detail}. When the stream fails it reconnects after a jittered exponential
 * back-off (Envoy's base of 0.5 s, capped at the given maximum, {@link #RECONNECT_CAP} in the proxy); the proxy keeps serving its last good config
 * meanwhile.
 */
public final class AdsClient implements AutoCloseable {

    private static final MessageType<Cluster> CLUSTER = MessageType.of(Cluster.getDescriptor(), Cluster.parser());
    private static final MessageType<ClusterLoadAssignment> LOAD_ASSIGNMENT = MessageType.of(
            ClusterLoadAssignment.getDescriptor(), ClusterLoadAssignment.parser());
    private static final MessageType<Listener> LISTENER = MessageType.of(Listener.getDescriptor(), Listener.parser());
    private static final MessageType<RouteConfiguration> ROUTES = MessageType.of(
            RouteConfiguration.getDescriptor(), RouteConfiguration.parser());
    private static final MessageType<Secret> SECRET = MessageType.of(Secret.getDescriptor(), Secret.parser());
    private static final MessageType<HttpConnectionManager> HCM = MessageType.of(
            HttpConnectionManager.getDescriptor(), HttpConnectionManager.parser());

    private static final Logger LOG = Logger.getLogger(AdsClient.class.getName());
    private static final int INVALID_ARGUMENT = 3;
    /** Envoy's default initial_fetch_timeout: past it a proxy stops waiting for its first config and serves. */
    private static final Duration INITIAL_FETCH_TIMEOUT = Duration.ofSeconds(15);
    /**
     * The longest wait between two attempts, whatever the caller asks: a stream ends mostly because the control plane
     * restarted, and a proxy must be back in sync within a few seconds of its return, not after Envoy's 30 s cap
     * (with a local xDS agent in between, Envoy itself never waits that long for istiod).
     */
    public static final Duration RECONNECT_CAP = Duration.ofSeconds(3);

    private final ManagedChannel channel;
    private final CallCredentials credentials;
    private final Node node;
    private final XdsResourceSink sink;
    private final ScheduledExecutorService scheduler;
    private final RandomGenerator random;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Map<String, String> acceptedVersions = new HashMap<>();
    private final Map<String, Set<String>> subscriptions = new HashMap<>();
    private Set<String> clusterSecrets = Set.of();
    private Set<String> listenerSecrets = Set.of();
    private StreamObserver<DiscoveryRequest> requests;
    private int failures;
    private ScheduledFuture<?> pendingStart;
    private boolean closed;
    private long acksSent;
    private long nacksSent;
    /** Types of the first config (clusters with their endpoints, listeners with their routes), as Envoy's init manager waits for. */
    private final Set<String> initialTypes = new HashSet<>(Set.of(TypeUrls.CLUSTER, TypeUrls.LISTENER));
    private final Set<String> responded = new HashSet<>();
    private boolean initialized;
    private boolean initialFetchTimerStarted;

    public AdsClient(ManagedChannel channel, Node node, XdsResourceSink sink, ScheduledExecutorService scheduler,
            RandomGenerator random, Duration baseBackoff, Duration maxBackoff) {
        this(channel, null, node, sink, scheduler, random, baseBackoff, maxBackoff);
    }

    /**
     * @param credentials sent with every stream (Istio's agent sends the pod's token as {@code authorization}), or
     *     null for none
     */
    public AdsClient(ManagedChannel channel, CallCredentials credentials, Node node, XdsResourceSink sink,
            ScheduledExecutorService scheduler, RandomGenerator random, Duration baseBackoff, Duration maxBackoff) {
        this.channel = channel;
        this.credentials = credentials;
        this.node = node;
        this.sink = sink;
        this.scheduler = scheduler;
        this.random = random;
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
        subscriptions.put(TypeUrls.CLUSTER, Set.of());
        subscriptions.put(TypeUrls.LISTENER, Set.of());
    }

    public synchronized void start() {
        if (closed) {
            return;
        }
        if (!initialFetchTimerStarted) {
            initialFetchTimerStarted = true;
            scheduler.schedule(this::initialFetchTimedOut, INITIAL_FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (failures > 0) {
            // The channel keeps its own, longer connect back-off (gRPC's grows to 120 s): this one decides when to try.
            channel.resetConnectBackoff();
        }
        Stream stream = new Stream();
        var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
        requests = (credentials == null ? stub : stub.withCallCredentials(credentials))
                .streamAggregatedResources(stream);
        stream.requests = requests;
        for (String type : List.of(TypeUrls.CLUSTER, TypeUrls.ENDPOINT, TypeUrls.LISTENER, TypeUrls.ROUTE, TypeUrls.SECRET)) {
            if (subscriptions.containsKey(type)) {
                send(type, acceptedVersions.getOrDefault(type, ""), "", null);
            }
        }
    }

    private void send(String type, String version, String nonce, String error) {
        DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type)
                .setVersionInfo(version).setResponseNonce(nonce)
                .addAllResourceNames(subscriptions.getOrDefault(type, Set.of()));
        if (error != null) {
            b.setErrorDetail(com.google.rpc.Status.newBuilder().setCode(INVALID_ARGUMENT).setMessage(error));
        }
        requests.onNext(b.build());
    }

    private synchronized void onResponse(Stream from, DiscoveryResponse response) {
        if (from.requests != requests) {
            return;
        }
        failures = 0;
        String type = response.getTypeUrl();
        List<ConfigError> errors = new ArrayList<>();
        try {
            errors.addAll(apply(type, response.getResourcesList()));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            errors.add(new ConfigError(type, "-", "cannot decode resources: " + e.getMessage()));
        } catch (Exception e) {
            // Escaping into gRPC would cancel the stream and replay the same response forever; NACK it instead.
            errors.add(new ConfigError(type, "-", "cannot apply: " + e));
        }
        responded.add(type);
        if (!initialized && responded.containsAll(initialTypes)) {
            initialized = true;
        }
        if (errors.isEmpty()) {
            acceptedVersions.put(type, response.getVersionInfo());
            acksSent++;
            send(type, response.getVersionInfo(), response.getNonce(), null);
        } else {
            nacksSent++;
            String detail = errors.stream().map(ConfigError::toString).collect(Collectors.joining("; "));
            LOG.warning("NACK " + type + " version " + response.getVersionInfo() + ": " + detail);
            send(type, acceptedVersions.getOrDefault(type, ""), response.getNonce(), detail);
        }
    }

    private List<ConfigError> apply(String type, List<Any> resources) throws InvalidProtocolBufferException {
        switch (type) {
            case TypeUrls.CLUSTER -> {
                List<Cluster> clusters = unpack(resources, CLUSTER);
                List<ConfigError> errors = sink.clusters(clusters);
                subscribe(TypeUrls.ENDPOINT, clusters.stream()
                        .filter(c -> c.getType() == Cluster.DiscoveryType.EDS)
                        .map(c -> c.getEdsClusterConfig().getServiceName().isEmpty() ? c.getName()
                                : c.getEdsClusterConfig().getServiceName())
                        .collect(Collectors.toCollection(TreeSet::new)));
                clusterSecrets = new TreeSet<>();
                clusters.forEach(c -> clusterSecrets.addAll(SecretReferences.fromAds(c)));
                subscribeSecrets();
                return errors;
            }
            case TypeUrls.ENDPOINT -> {
                return sink.endpoints(unpack(resources, LOAD_ASSIGNMENT));
            }
            case TypeUrls.LISTENER -> {
                List<Listener> listeners = unpack(resources, LISTENER);
                List<ConfigError> errors = sink.listeners(listeners);
                subscribe(TypeUrls.ROUTE, routeNames(listeners));
                listenerSecrets = new TreeSet<>();
                listeners.forEach(l -> listenerSecrets.addAll(SecretReferences.fromAds(l)));
                subscribeSecrets();
                return errors;
            }
            case TypeUrls.ROUTE -> {
                return sink.routes(unpack(resources, ROUTES));
            }
            case TypeUrls.SECRET -> {
                return sink.secrets(unpack(resources, SECRET));
            }
            default -> {
                return List.of(new ConfigError(type, "-", "unsupported resource type"));
            }
        }
    }

    private static Set<String> routeNames(List<Listener> listeners) throws InvalidProtocolBufferException {
        Set<String> names = new TreeSet<>();
        for (Listener l : listeners) {
            for (var chain : l.getFilterChainsList()) {
                for (var f : chain.getFiltersList()) {
                    if (HCM.isIn(f.getTypedConfig())) {
                        HttpConnectionManager hcm = HCM.unpack(f.getTypedConfig());
                        if (hcm.hasRds()) {
                            names.add(hcm.getRds().getRouteConfigName());
                        }
                    }
                }
            }
        }
        return names;
    }

    private void subscribeSecrets() {
        Set<String> names = new TreeSet<>(clusterSecrets);
        names.addAll(listenerSecrets);
        if (!names.isEmpty() || subscriptions.containsKey(TypeUrls.SECRET)) {
            subscribe(TypeUrls.SECRET, names);
        }
    }

    /**
     * Whether the first config has arrived: a response (ACK or NACK) for clusters and listeners, and for the
     * endpoints and routes they named; or the initial fetch timed out. Until then the proxy is not ready.
     */
    public synchronized boolean initialized() {
        return initialized;
    }

    private synchronized void initialFetchTimedOut() {
        if (!initialized) {
            initialized = true;
            LOG.warning("no complete first config within " + INITIAL_FETCH_TIMEOUT.toSeconds() + " s (still waiting for "
                    + initialTypes.stream().filter(t -> !responded.contains(t)).toList() + "): serving what arrived");
        }
    }

    /** Sends a new request for a type when the set of names it needs changed. */
    private void subscribe(String type, Set<String> names) {
        if (names.equals(subscriptions.get(type))) {
            return;
        }
        if (!initialized && !names.isEmpty() && !type.equals(TypeUrls.SECRET)) {
            initialTypes.add(type);
        }
        subscriptions.put(type, new LinkedHashSet<>(names));
        send(type, acceptedVersions.getOrDefault(type, ""), "", null);
    }

    private static <T extends Message> List<T> unpack(List<Any> resources, MessageType<T> type)
            throws InvalidProtocolBufferException {
        List<T> out = new ArrayList<>(resources.size());
        for (Any a : resources) {
            out.add(type.unpack(a));
        }
        return out;
    }

    private synchronized void onStreamEnded(Stream from, Throwable error) {
        if (from.requests != requests || closed) {
            return;
        }
        failures++;
        long ceiling = Math.min(maxBackoff.toNanos(), baseBackoff.toNanos() << Math.min(failures - 1, 20));
        long delay = ceiling / 2 + random.nextLong(Math.max(1, ceiling / 2));
        LOG.warning("ADS stream ended (" + (error == null ? "completed" : error.getMessage()) + "); reconnecting in "
                + TimeUnit.NANOSECONDS.toMillis(delay) + " ms");
        pendingStart = scheduler.schedule(this::start, delay, TimeUnit.NANOSECONDS);
    }

    /**
     * The ADS server is back (the local runtime knows when it restarted weftd): a reconnect that is waiting out its
     * back-off happens now instead.
     *
     * @return whether a reconnect was waiting
     */
    public synchronized boolean reconnectNow() {
        if (closed || pendingStart == null || !pendingStart.cancel(false)) {
            return false;
        }
        pendingStart = null;
        start();
        return true;
    }

    public synchronized long acksSent() {
        return acksSent;
    }

    public synchronized long nacksSent() {
        return nacksSent;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (requests != null) {
            requests.onCompleted();
        }
        channel.shutdownNow();
    }

    /** One ADS stream; callbacks from a stream that was replaced are ignored. */
    private final class Stream implements StreamObserver<DiscoveryResponse> {

        private Set<String> clusterSecrets = Set.of();
    private Set<String> listenerSecrets = Set.of();
    private StreamObserver<DiscoveryRequest> requests;

        @Override
        public void onNext(DiscoveryResponse response) {
            onResponse(this, response);
        }

        @Override
        public void onError(Throwable t) {
            onStreamEnded(this, t);
        }

        @Override
        public void onCompleted() {
            onStreamEnded(this, null);
        }
    }
}
