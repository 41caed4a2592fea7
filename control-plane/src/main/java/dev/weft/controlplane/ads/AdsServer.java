package dev.weft.controlplane.ads;

import dev.weft.controlplane.ca.Caller;
import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Aggregated Discovery Service: serves CDS/EDS/LDS/RDS over one gRPC stream per proxy, state of the
 * world or delta, and re-sends on {@link #push}. Resources come from the injected generator, so this class
 * knows nothing about Istio config. No thread belongs to a stream: responses are generated and written on the
 * injected bounded {@code workers}, as each stream's flow control allows (see {@link PendingSends}), and all streams
 * together keep at most the {@link SendBudget}'s bytes queued in weftd.
 */
public final class AdsServer extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {

    private static final Logger LOG = Logger.getLogger(AdsServer.class.getName());

    private final ResourceGenerator generator;
    private final ProxyLifecycle lifecycle;
    private final Executor workers;
    private final SendBudget budget;
    private final ProxyAdmission admission;
    private final AdsObserver observer;
    private final Set<ProxyStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong versions = new AtomicLong(1);

    public AdsServer(ResourceGenerator generator, ProxyLifecycle lifecycle, Executor workers) {
        this(generator, lifecycle, workers, SendBudget.DEFAULT_BYTES);
    }

    /** {@code admission}: which nodes may open a stream (every other stream is refused with UNAUTHENTICATED). */
    public AdsServer(ResourceGenerator generator, ProxyLifecycle lifecycle, Executor workers,
            ProxyAdmission admission) {
        this(generator, lifecycle, workers, admission, AdsObserver.NONE);
    }

    /** {@code observer}: told of connections, responses, NACKs and convergence (weftd's metrics). */
    public AdsServer(ResourceGenerator generator, ProxyLifecycle lifecycle, Executor workers,
            ProxyAdmission admission, AdsObserver observer) {
        this(generator, lifecycle, workers, SendBudget.DEFAULT_BYTES, admission, observer);
    }

    /** {@code sendBudgetBytes}: how many response bytes all streams together may have queued in weftd at once. */
    public AdsServer(ResourceGenerator generator, ProxyLifecycle lifecycle, Executor workers, long sendBudgetBytes) {
        this(generator, lifecycle, workers, sendBudgetBytes, ProxyAdmission.ANYONE, AdsObserver.NONE);
    }

    private AdsServer(ResourceGenerator generator, ProxyLifecycle lifecycle, Executor workers, long sendBudgetBytes,
            ProxyAdmission admission, AdsObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.budget = new SendBudget(sendBudgetBytes);
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        return new SotwStream(this, (ServerCallStreamObserver<DiscoveryResponse>) responses, workers, budget);
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
            StreamObserver<DeltaDiscoveryResponse> responses) {
        return new DeltaStream(this, (ServerCallStreamObserver<DeltaDiscoveryResponse>) responses, workers, budget);
    }

    /**
     * Sends what changed to every connected proxy; callers have already swapped in the new snapshot. Returns once
     * every stream has the push pending: the writes happen on the workers.
     */
    public void push(PushRequest request) {
        long version = versions.incrementAndGet();
        observer.pushed(request, streams.size());
        for (ProxyStream stream : streams) {
            stream.push(request, version);
        }
    }

    public List<ProxyStatus> statuses() {
        return streams.stream()
                .map(ProxyStream::status)
                .sorted(Comparator.comparing(ProxyStatus::proxyId))
                .toList();
    }

    public Optional<ProxyNode> connectedProxy(String proxyId) {
        return streams.stream().map(ProxyStream::proxy)
                .filter(p -> p != null && (p.nodeId().equals(proxyId) || p.id().equals(proxyId)))
                .findFirst();
    }

    /** The service with each call's credentials read for {@link ProxyAdmission} ({@link Caller}). */
    public ServerServiceDefinition definition() {
        return ServerInterceptors.intercept(bindService(), Caller.INTERCEPTOR);
    }

    /** Why a stream with this first node is refused, or empty when it may open; in the call's context. */
    Optional<String> refusal(Node node) {
        return admission.refusal(node, Caller.current());
    }

    SendBudget sendBudget() {
        return budget;
    }

    long currentVersion() {
        return versions.get();
    }

    /** Empty when generation failed: a generator bug must not wipe the proxy's config, it keeps what it has. */
    Optional<PackedResources> generate(ProxyNode proxy, Node node, XdsType type) {
        try {
            return Optional.of(generator.generate(proxy, node, type));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "generating " + type.shortName() + " for " + proxy.nodeId() + " failed", e);
            observer.generationFailed(type);
            return Optional.empty();
        }
    }

    AdsObserver observer() {
        return observer;
    }

    void opened(ProxyStream stream) {
        streams.add(stream);
        lifecycle.connected(stream.proxy());
        observer.connected(stream.node());
    }

    void closed(ProxyStream stream) {
        if (streams.remove(stream)) {
            lifecycle.disconnected(stream.proxy());
            observer.disconnected(stream.node());
        }
    }
}
