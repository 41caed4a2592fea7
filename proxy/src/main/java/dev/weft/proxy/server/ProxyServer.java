package dev.weft.proxy.server;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.accesslog.AccessLogWriter;
import dev.weft.proxy.admin.AdminServer;
import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.PerRouteFilterConfigs;
import dev.weft.proxy.http.HttpConnectionManagerCompiler;
import dev.weft.proxy.identity.BearerTokenFile;
import dev.weft.proxy.identity.WorkloadCertificates;
import dev.weft.proxy.istio.IstioMetrics;
import dev.weft.proxy.istio.IstioMetricsFormat;
import dev.weft.proxy.istio.WorkloadMetadata;
import dev.weft.proxy.listener.DownstreamConnectionLimit;
import dev.weft.proxy.listener.ListenerCompiler;
import dev.weft.proxy.listener.ListenerManager;
import dev.weft.proxy.router.RdsRouteTables;
import dev.weft.proxy.runtime.RuntimeFlags;
import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.stats.PrometheusFormat;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.stats.StatsConfig;
import dev.weft.proxy.tls.SecretManager;
import dev.weft.proxy.tracing.LocalNode;
import dev.weft.proxy.tracing.Tracers;
import dev.weft.proxy.upstream.ClusterManager;
import dev.weft.proxy.upstream.UpstreamCluster;
import dev.weft.proxy.upstream.UpstreamWorker;
import dev.weft.proxy.worker.WorkerContext;
import dev.weft.proxy.xds.AdsChannels;
import dev.weft.proxy.xds.AdsClient;
import dev.weft.proxy.xds.ControlPlaneTransport;
import dev.weft.proxy.xds.XdsResourceSink;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A running proxy: event loops, listeners, clusters, route tables and the admin server. Config arrives as Envoy
 * protos (from the bootstrap or xDS), is compiled, and is published with one atomic swap of the
 * {@link ProxySnapshot}. A resource that fails to compile is reported as a {@link ConfigError} and the last good
 * version of it stays in force.
 */
public final class ProxyServer implements AutoCloseable {

    /** weftd's name for the node metadata that says which workload certificate the proxy holds. */
    public static final String WORKLOAD_IDENTITY_METADATA = "WEFT_WORKLOAD_IDENTITY";

    private static final Logger LOG = Logger.getLogger(ProxyServer.class.getName());

    private final ProxyOptions options;
    private final Stats stats = new Stats();
    private final IstioMetrics istioMetrics;
    private volatile boolean live;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<EventLoop, WorkerContext> workerContexts;
    private final List<UpstreamWorker> upstreamWorkers;
    private final AtomicReference<ProxySnapshot> snapshot = new AtomicReference<>(ProxySnapshot.EMPTY);
    private final SecretManager secrets;
    private final ClusterManager clusters;
    private final RdsRouteTables routes;
    private final ListenerManager listenerManager;
    private final ScheduledExecutorService background;
    private final AccessLogWriter accessLogs;
    private final Tracers tracers;
    private final RuntimeFlags runtime = new RuntimeFlags();
    private final List<ConfigError> bootstrapErrors = new ArrayList<>();
    private final Bootstrap bootstrap;
    private final PrometheusFormat prometheus;
    private AdminServer admin;
    private volatile AdsClient ads;
    private WorkloadCertificates certificates;
    /** How the ADS channel and the CA client reach the control plane; plain text without ads_config. */
    private ControlPlaneTransport controlPlane = ControlPlaneTransport.PLAINTEXT;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean draining;
    private volatile boolean healthFailed;
    private final Object publishLock = new Object();
    private long version;

    private ProxyServer(Bootstrap bootstrap, ProxyOptions options) {
        this.bootstrap = bootstrap;
        this.prometheus = new PrometheusFormat(statsConfig(bootstrap));
        this.options = options;
        this.boss = options.transport().newGroup(1);
        this.workers = options.transport().newGroup(options.workerThreads());
        this.accessLogs = new AccessLogWriter(options.accessLogQueue(), stats);
        Map<EventLoop, WorkerContext> contexts = new IdentityHashMap<>();
        List<UpstreamWorker> upstreams = new ArrayList<>();
        long seed = options.randomSeed() != null ? options.randomSeed() : System.nanoTime();
        int i = 0;
        Supplier<ProxySnapshot> snapshots = snapshot::get;
        for (EventExecutor e : workers) {
            EventLoop loop = (EventLoop) e;
            SplittableRandom random = new SplittableRandom(seed + 31L * i++);
            UpstreamWorker upstream = new UpstreamWorker(loop, options.transport(), random, snapshots);
            upstreams.add(upstream);
            contexts.put(loop, new WorkerContext(snapshots, options.ticker(), options.clock(), random, upstream,
                    runtime));
        }
        this.workerContexts = contexts;
        this.upstreamWorkers = List.copyOf(upstreams);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-background");
            t.setDaemon(true);
            return t;
        });
        this.secrets = new SecretManager(options.clock());
        this.istioMetrics = new IstioMetrics(localWorkload(bootstrap, options));
        this.clusters = new ClusterManager(secrets::lookup, ProxyOptions.defaultClusterFilters(
                new FilterContext(options.ticker(), SplittableRandom::new, stats, "", istioMetrics)),
                background, options.ticker(), stats, this::publish);
        this.routes = new RdsRouteTables(new PerRouteFilterConfigs(options.filters(),
                new FilterContext(options.ticker(), SplittableRandom::new, stats, "rds", istioMetrics)));
        Node node = bootstrap.getNode();
        this.tracers = new Tracers(new LocalNode(node.getId(), node.getLocality().getZone(),
                node.getCluster().isEmpty() ? LocalNode.UNKNOWN.serviceName() : node.getCluster()), stats,
                this::collectorAddress, Tracers.DEFAULT_QUEUE, System::getenv);
        HttpConnectionManagerCompiler http = new HttpConnectionManagerCompiler(options.filters(),
                prefix -> new FilterContext(options.ticker(), () -> new SplittableRandom(), stats, prefix,
                        istioMetrics),
                accessLogs::sink, tracers);
        this.listenerManager = new ListenerManager(boss, workers, options.transport(), workerContexts::get,
                DownstreamConnectionLimit.of(bootstrap, stats), stats, new ListenerCompiler(http, stats, ProxyOptions.defaultNetworkFilters(),
                        new FilterContext(options.ticker(), SplittableRandom::new, stats, "", istioMetrics)),
                secrets::lookup, () -> snapshot.get().routes().keySet());
    }

    /** Who this proxy's workload is, for Istio's metrics: its node metadata, and its certificate's identity. */
    private static WorkloadMetadata localWorkload(Bootstrap bootstrap, ProxyOptions options) {
        Struct.Builder metadata = bootstrap.getNode().getMetadata().toBuilder();
        if (options.identity() != null) {
            metadata.putFields(WORKLOAD_IDENTITY_METADATA, Value.newBuilder()
                    .setStringValue(options.identity().spiffeId()).build());
        }
        return WorkloadMetadata.fromNodeMetadata(metadata.build());
    }

    /** The bootstrap's stats_config; Envoy's defaults (with the error kept) when it is wrong. */
    private StatsConfig statsConfig(Bootstrap b) {
        if (!b.hasStatsConfig()) {
            return StatsConfig.ENVOY_DEFAULTS;
        }
        try {
            return StatsConfig.of(b.getStatsConfig());
        } catch (ConfigException e) {
            bootstrapErrors.add(new ConfigError("stats_config", "-", e.getMessage()));
            return StatsConfig.ENVOY_DEFAULTS;
        }
    }

    /** How {@code /stats/prometheus} names and picks the Envoy stats, as the bootstrap's stats_config says. */
    public PrometheusFormat prometheusFormat() {
        return prometheus;
    }

    /**
     * The ADS connection counted as its cluster's active connection, as Envoy counts its {@code xds-grpc} cluster:
     * Istio's control plane dashboard sums {@code envoy_cluster_upstream_cx_active{cluster_name="xds-grpc"}}.
     */
    private void countAdsConnection(Bootstrap b, ManagedChannel channel) {
        b.getDynamicResources().getAdsConfig().getGrpcServicesList().stream().filter(g -> g.hasEnvoyGrpc()).findFirst()
                .ifPresent(g -> stats.computedGauge("cluster." + g.getEnvoyGrpc().getClusterName() + ".upstream_cx_active",
                        () -> channel.getState(false) == ConnectivityState.READY ? 1 : 0));
    }

    /** Istio's standard metrics this proxy counts. */
    public IstioMetrics istioMetrics() {
        return istioMetrics;
    }

    /** Starts a proxy from a bootstrap. Rejected static resources are in {@link #configErrors()}. */
    public static ProxyServer start(Bootstrap bootstrap, ProxyOptions options) {
        ProxyServer server = new ProxyServer(bootstrap, options);
        var statics = bootstrap.getStaticResources();
        server.bootstrapErrors.addAll(server.applySecrets(statics.getSecretsList(), false));
        server.bootstrapErrors.addAll(server.applyClusters(statics.getClustersList(), false));
        server.bootstrapErrors.addAll(server.applyListeners(statics.getListenersList(), false));
        if (bootstrap.hasAdmin() && bootstrap.getAdmin().getAddress().hasSocketAddress()) {
            var sa = bootstrap.getAdmin().getAddress().getSocketAddress();
            server.admin = AdminServer.start(options.transport(),
                    sa.getAddress().isEmpty() ? "127.0.0.1" : sa.getAddress(), sa.getPortValue(), new AdminView(server));
        }
        server.bootstrapErrors.forEach(e -> LOG.warning("config rejected: " + e));
        if (bootstrap.getDynamicResources().hasAdsConfig()) {
            server.startAds(bootstrap);
        }
        if (options.identity() != null) {
            server.certificates = new WorkloadCertificates(options.identity(), server.controlPlane,
                    secrets -> server.applySecrets(secrets, true)
                            .forEach(e -> LOG.warning("workload certificate rejected: " + e)),
                    server.background, options.clock());
            server.certificates.start();
        }
        return server;
    }

    /**
     * The node as the ADS server sees it: with a workload identity the proxy says which one it holds (node metadata
     * {@code WEFT_WORKLOAD_IDENTITY}), so the server sends mutual TLS only to proxies that have certificates.
     */
    private Node announcedNode(Node node) {
        if (options.identity() == null) {
            return node;
        }
        Node.Builder announced = node.toBuilder();
        announced.getMetadataBuilder().putFields(WORKLOAD_IDENTITY_METADATA,
                com.google.protobuf.Value.newBuilder().setStringValue(options.identity().spiffeId()).build());
        return announced.build();
    }

    /**
     * Connects to the ADS server named by the bootstrap: an envoy_grpc cluster (first host) or a google_grpc target,
     * over the transport the config gives it, which the CA client then shares.
     */
    private void startAds(Bootstrap b) {
        ManagedChannel channel;
        try {
            var adsConfig = b.getDynamicResources().getAdsConfig();
            Function<String, Cluster> staticCluster = name -> b.getStaticResources().getClustersList().stream()
                    .filter(c -> c.getName().equals(name)).findFirst().orElse(null);
            controlPlane = AdsChannels.transport(adsConfig, staticCluster);
            channel = AdsChannels.open(adsConfig, staticCluster, controlPlane);
        } catch (ConfigException e) {
            bootstrapErrors.add(new ConfigError("ads_config", "-", e.getMessage()));
            return;
        }
        countAdsConnection(b, channel);
        ads = new AdsClient(channel, options.xdsTokenFile() == null ? null : new BearerTokenFile(options.xdsTokenFile()),
                announcedNode(b.getNode()), new XdsResourceSink() {
            @Override
            public List<ConfigError> clusters(List<Cluster> protos) {
                return applyClusters(protos, true);
            }

            @Override
            public List<ConfigError> endpoints(List<ClusterLoadAssignment> assignments) {
                return applyEndpoints(assignments);
            }

            @Override
            public List<ConfigError> listeners(List<Listener> protos) {
                return applyListeners(protos, true);
            }

            @Override
            public List<ConfigError> routes(List<RouteConfiguration> protos) {
                return applyRoutes(protos);
            }

            @Override
            public List<ConfigError> secrets(List<Secret> protos) {
                return applySecrets(protos, true);
            }
        }, background, new SplittableRandom(), Duration.ofMillis(500), AdsClient.RECONNECT_CAP);
        ads.start();
    }

    /** Reconnects to the ADS server now if the proxy is waiting to; see {@link AdsClient#reconnectNow()}. */
    boolean reconnectXds() {
        AdsClient client = ads;
        return client != null && client.reconnectNow();
    }

    /** The ADS client, or null when the bootstrap has no ads_config. */
    public AdsClient ads() {
        return ads;
    }

    public List<ConfigError> configErrors() {
        return List.copyOf(bootstrapErrors);
    }

    // ---- config application (xDS and bootstrap) ----

    /** Replaces the cluster set (state of the world). Rejected clusters keep their last good version. */
    public List<ConfigError> applyClusters(List<Cluster> protos, boolean dynamic) {
        return clusters.apply(protos, dynamic);
    }

    /** Applies endpoint assignments for EDS clusters; hosts that stay keep their state. */
    public List<ConfigError> applyEndpoints(List<ClusterLoadAssignment> assignments) {
        return clusters.applyEndpoints(assignments);
    }

    /**
     * Adds or replaces SDS secrets (from the bootstrap, or pushed over ADS; a push never removes one). Clusters and
     * listeners that use a changed secret are compiled again: new connections get the new certificate, open ones
     * keep theirs, and listeners warming for it start serving.
     */
    public synchronized List<ConfigError> applySecrets(List<Secret> protos, boolean dynamic) {
        SecretManager.Update update = secrets.apply(protos, dynamic);
        List<ConfigError> errors = new ArrayList<>(update.errors());
        if (!update.changed().isEmpty()) {
            errors.addAll(clusters.secretsChanged(update.changed()));
            errors.addAll(listenerManager.secretsChanged(update.changed()));
        }
        return errors;
    }

    /** Replaces the RDS route tables; listeners waiting for them are activated. */
    public synchronized List<ConfigError> applyRoutes(List<RouteConfiguration> protos) {
        List<ConfigError> errors = new ArrayList<>(routes.apply(protos));
        publish();
        errors.addAll(listenerManager.routesChanged());
        return errors;
    }

    /**
     * Replaces the listener set. A listener that needs RDS routes or SDS secrets not yet known waits (warms) for
     * them; if it replaces a serving version, that version serves until the new one is warm.
     */
    public List<ConfigError> applyListeners(List<Listener> protos, boolean dynamic) {
        return listenerManager.apply(protos, dynamic);
    }

    /** Swaps in a snapshot of the clusters and routes in force; each event loop then closes pools to hosts that left. */
    private void publish() {
        // Its own lock, taken last: the managers call this while holding theirs.
        synchronized (publishLock) {
            snapshot.set(new ProxySnapshot(++version, clusters.clusters(), routes.tables()));
        }
        for (UpstreamWorker w : upstreamWorkers) {
            if (!w.eventLoop().isShuttingDown()) {
                w.eventLoop().execute(w::closePoolsOfRemovedHosts);
            }
        }
    }

    // ---- views ----

    public ProxySnapshot snapshot() {
        return snapshot.get();
    }

    public Stats stats() {
        return stats;
    }

    /**
     * The bound port of a listener (the configured port of a {@code bind_to_port: false} listener), or -1 when it is
     * not serving (unknown, rejected or warming).
     */
    public int listenerPort(String name) {
        return listenerManager.port(name);
    }

    /** Whether the first xDS config has arrived (always, without ADS); see {@link AdsClient#initialized()}. */
    public boolean initialized() {
        AdsClient client = ads;
        return client == null || client.initialized();
    }

    public List<String> warmingListeners() {
        return listenerManager.warming();
    }

    /**
     * Envoy's server state LIVE: the first config has arrived and its listeners finished warming. It stays so, as in
     * Envoy: listeners that warm after a later update do not make a serving proxy unready (its old ones serve).
     */
    public boolean live() {
        if (!live && initialized() && warmingListeners().isEmpty()) {
            live = true;
        }
        return live;
    }

    /**
     * Envoy's {@code /ready}: 200 {@code LIVE} once the first config is in and its listeners warm, else 503 with the
     * server state ({@code INITIALIZING}, {@code PRE_INITIALIZING}, {@code DRAINING}). Istio's 15021 and the agent's
     * {@code /healthz/ready} answer with it.
     */
    public Readiness readiness() {
        if (!initialized()) {
            return new Readiness(false, "INITIALIZING");
        }
        if (!live()) {
            return new Readiness(false, "PRE_INITIALIZING");
        }
        if (draining || healthFailed) {
            return new Readiness(false, "DRAINING");
        }
        return new Readiness(true, "LIVE");
    }

    /** Whether the proxy takes traffic, and Envoy's name for its state. */
    public record Readiness(boolean ready, String state) {
    }

    /** The proxy's {@code /stats/prometheus}: Istio's standard metrics first, as on Istio's sidecars, then Envoy's. */
    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        IstioMetricsFormat.render(istioMetrics, out);
        return out.append(prometheus.render(stats, snapshot().clusters().keySet())).toString();
    }

    java.time.Clock clock() {
        return options.clock();
    }

    /** The runtime values the admin API sets and the data plane reads. */
    public RuntimeFlags runtime() {
        return runtime;
    }

    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** The admin's bound address as {@code host:port} ({@code 127.0.5.7:15000}), empty without an admin. */
    public String adminAddress() {
        return admin == null ? "" : admin.address().getAddress().getHostAddress() + ":" + admin.port();
    }

    Bootstrap bootstrap() {
        return bootstrap;
    }

    ListenerManager listeners() {
        return listenerManager;
    }

    ClusterManager clusterManager() {
        return clusters;
    }

    SecretManager secretManager() {
        return secrets;
    }

    RdsRouteTables routeTables() {
        return routes;
    }

    boolean draining() {
        return draining;
    }

    boolean healthFailed() {
        return healthFailed;
    }

    void setHealthFailed(boolean failed) {
        healthFailed = failed;
    }

    /** Stops accepting connections; open ones finish. */
    void drainListeners() {
        draining = true;
        listenerManager.closeAll();
    }

    /**
     * Where spans for a collector cluster go: its first host that is neither ejected nor failing health checks, as
     * the cluster's current CDS/EDS state says; null when the cluster is unknown or has no such host.
     */
    private InetSocketAddress collectorAddress(String cluster) {
        UpstreamCluster c = clusters.clusters().get(cluster);
        if (c == null) {
            return null;
        }
        return c.hosts().stream()
                .filter(h -> !h.isEjected() && !h.failedActiveHealthCheck())
                .map(h -> h.address() instanceof InetSocketAddress a && !a.isUnresolved() ? a : null)
                .filter(Objects::nonNull)
                .findFirst().orElse(null);
    }

    /** Blocks until the proxy is closed (for example by the admin's /quitquitquit). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Blocks until the proxy stops or {@code timeout} passes; whether it stopped. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listenerManager.closeAll();
        if (admin != null) {
            admin.close();
        }
        if (ads != null) {
            ads.close();
        }
        if (certificates != null) {
            certificates.close();
        }
        background.shutdownNow();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        accessLogs.close();
        tracers.close();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        terminated.countDown();
    }
}
