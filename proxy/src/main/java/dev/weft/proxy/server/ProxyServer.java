package dev.weft.proxy.server;

import dev.weft.proxy.accesslog.AccessLogWriter;
import dev.weft.proxy.admin.AdminServer;
import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.PerRouteFilterConfigs;
import dev.weft.proxy.http.HttpConnectionManagerCompiler;
import dev.weft.proxy.listener.DownstreamConnectionLimit;
import dev.weft.proxy.listener.ListenerCompiler;
import dev.weft.proxy.listener.ListenerConfig;
import dev.weft.proxy.listener.ListenerManager;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.router.RouteTableCompiler;
import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.tls.SecretLookup;
import dev.weft.proxy.tls.SecretReferences;
import dev.weft.proxy.tls.TlsSecret;
import dev.weft.proxy.upstream.ClusterCompiler;
import dev.weft.proxy.upstream.ClusterConfig;
import dev.weft.proxy.upstream.DnsResolution;
import dev.weft.proxy.upstream.EndpointConfig;
import dev.weft.proxy.upstream.HealthChecker;
import dev.weft.proxy.upstream.Host;
import dev.weft.proxy.upstream.UpstreamCluster;
import dev.weft.proxy.upstream.UpstreamWorker;
import dev.weft.proxy.worker.WorkerContext;
import dev.weft.proxy.xds.AdsClient;
import dev.weft.proxy.xds.XdsResourceSink;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A running proxy: event loops, listeners, clusters, route tables and the admin server. Config arrives as Envoy
 * protos (from the bootstrap or xDS), is compiled, and is published with one atomic swap of the
 * {@link ProxySnapshot}. A resource that fails to compile is reported as a {@link ConfigError} and the last good
 * version of it stays in force.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProxyServer.class.getName());

    private final ProxyOptions options;
    private final Stats stats = new Stats();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<EventLoop, WorkerContext> workerContexts;
    private final List<UpstreamWorker> upstreamWorkers;
    private final AtomicReference<ProxySnapshot> snapshot = new AtomicReference<>(ProxySnapshot.EMPTY);
    private final ListenerManager listenerManager;
    private final ListenerCompiler listenerCompiler;
    private final PerRouteFilterConfigs perRouteFilters;
    private final ScheduledExecutorService background;
    private final AccessLogWriter accessLogs;
    private final ConfigResources resources = new ConfigResources();
    private final Map<String, ListenerConfig> warming = new LinkedHashMap<>();
    private final List<ConfigError> bootstrapErrors = new ArrayList<>();
    private final Bootstrap bootstrap;
    private AdminServer admin;
    private volatile AdsClient ads;
    private final java.util.concurrent.CountDownLatch terminated = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Map<String, TlsSecret> secrets = Map.of();
    private volatile boolean draining;
    private volatile boolean healthFailed;
    private long version;

    private ProxyServer(Bootstrap bootstrap, ProxyOptions options) {
        this.bootstrap = bootstrap;
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
            contexts.put(loop, new WorkerContext(snapshots, options.ticker(), options.clock(), random, upstream));
        }
        this.workerContexts = contexts;
        this.upstreamWorkers = List.copyOf(upstreams);
        this.listenerManager = new ListenerManager(boss, workers, options.transport(), workerContexts::get,
                DownstreamConnectionLimit.of(bootstrap, stats), stats);
        HttpConnectionManagerCompiler http = new HttpConnectionManagerCompiler(options.filters(),
                prefix -> new FilterContext(options.ticker(), () -> new SplittableRandom(), stats, prefix),
                accessLogs::sink);
        this.listenerCompiler = new ListenerCompiler(http, stats);
        this.perRouteFilters = new PerRouteFilterConfigs(options.filters(),
                new FilterContext(options.ticker(), SplittableRandom::new, stats, "rds"));
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-background");
            t.setDaemon(true);
            return t;
        });
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
        return server;
    }

    /** Connects to the ADS server named by the bootstrap: an envoy_grpc cluster (first host) or a google_grpc target. */
    private void startAds(Bootstrap b) {
        var services = b.getDynamicResources().getAdsConfig().getGrpcServicesList();
        if (services.isEmpty()) {
            bootstrapErrors.add(new ConfigError("ads_config", "-", "ads_config needs one grpc_services entry"));
            return;
        }
        var service = services.get(0);
        ManagedChannel channel;
        if (service.hasEnvoyGrpc()) {
            UpstreamCluster cluster = snapshot.get().clusters().get(service.getEnvoyGrpc().getClusterName());
            if (cluster == null || cluster.hosts().isEmpty()) {
                bootstrapErrors.add(new ConfigError("ads_config", service.getEnvoyGrpc().getClusterName(),
                        "the xDS cluster is not a static cluster with an endpoint"));
                return;
            }
            if (!(cluster.hosts().get(0).address() instanceof InetSocketAddress address)) {
                bootstrapErrors.add(new ConfigError("ads_config", service.getEnvoyGrpc().getClusterName(),
                        "the xDS cluster's endpoint must be an IP address and port (a pipe is not supported for ADS)"));
                return;
            }
            channel = Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
                    InsecureChannelCredentials.create()).build();
        } else if (service.hasGoogleGrpc()) {
            channel = Grpc.newChannelBuilder(service.getGoogleGrpc().getTargetUri(), InsecureChannelCredentials.create()).build();
        } else {
            bootstrapErrors.add(new ConfigError("ads_config", "-", "grpc_services needs envoy_grpc or google_grpc"));
            return;
        }
        ads = new AdsClient(channel, b.getNode(), new XdsResourceSink() {
            @Override
            public List<ConfigError> clusters(List<Cluster> clusters) {
                return applyClusters(clusters, true);
            }

            @Override
            public List<ConfigError> endpoints(List<ClusterLoadAssignment> assignments) {
                return applyEndpoints(assignments);
            }

            @Override
            public List<ConfigError> listeners(List<Listener> listeners) {
                return applyListeners(listeners, true);
            }

            @Override
            public List<ConfigError> routes(List<RouteConfiguration> routes) {
                return applyRoutes(routes, true);
            }

            @Override
            public List<ConfigError> secrets(List<Secret> secrets) {
                return applySecrets(secrets, true);
            }
        }, background, new SplittableRandom(), Duration.ofMillis(500), AdsClient.RECONNECT_CAP);
        ads.start();
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
    public synchronized List<ConfigError> applyClusters(List<Cluster> protos, boolean dynamic) {
        List<ConfigError> errors = new ArrayList<>();
        ProxySnapshot now = snapshot.get();
        Map<String, UpstreamCluster> next = new HashMap<>();
        Map<String, Cluster> accepted = new LinkedHashMap<>();
        for (Cluster p : protos) {
            try {
                UpstreamCluster existing = now.clusters().get(p.getName());
                Cluster previous = resources.clusters.get(p.getName());
                if (existing != null && p.equals(previous)) {
                    next.put(p.getName(), existing);
                } else {
                    next.put(p.getName(), build(ClusterCompiler.compile(p, secretLookup()), existing));
                }
                accepted.put(p.getName(), p);
            } catch (ConfigException e) {
                errors.add(new ConfigError("cluster", p.getName(), e.getMessage()));
                UpstreamCluster existing = now.clusters().get(p.getName());
                if (existing != null) {
                    next.put(p.getName(), existing);
                    accepted.put(p.getName(), resources.clusters.get(p.getName()));
                }
            }
        }
        if (!dynamic) {
            resources.staticClusters.addAll(accepted.keySet());
        } else {
            // Static clusters are not part of the dynamic state of the world.
            for (String name : resources.staticClusters) {
                next.putIfAbsent(name, now.clusters().get(name));
                accepted.putIfAbsent(name, resources.clusters.get(name));
            }
        }
        resources.clusters = accepted;
        publish(next, now.routes());
        return errors;
    }

    private UpstreamCluster build(ClusterConfig config, UpstreamCluster previous) {
        UpstreamCluster cluster = buildHosts(config, previous);
        if (config.healthCheck() != null) {
            HealthChecker checker = new HealthChecker(cluster, background, stats);
            whileActive(cluster, checker::checkAll, config.healthCheck().interval().toMillis());
        }
        return cluster;
    }

    private UpstreamCluster buildHosts(ClusterConfig config, UpstreamCluster previous) {
        List<Host> previousHosts = previous == null ? List.of() : previous.hosts();
        return switch (config.type()) {
            case STATIC -> UpstreamCluster.withStaticHosts(config, previousHosts, options.ticker(), stats);
            case EDS -> {
                ClusterLoadAssignment cla = resources.endpoints.get(config.name());
                ClusterConfig withEndpoints = cla == null ? config : config.withEndpoints(ClusterCompiler.endpoints(cla));
                yield UpstreamCluster.withStaticHosts(withEndpoints, previousHosts, options.ticker(), stats);
            }
            case STRICT_DNS, LOGICAL_DNS -> {
                UpstreamCluster c = new UpstreamCluster(config, DnsResolution.resolve(config, previousHosts),
                        options.ticker(), stats);
                whileActive(c, () -> c.replaceHosts(DnsResolution.resolve(config, c.hosts())),
                        config.dnsRefreshRate().toMillis());
                yield c;
            }
            case ORIGINAL_DST -> new UpstreamCluster(config, List.of(), options.ticker(), stats);
        };
    }

    /**
     * Runs a background task for a cluster every {@code everyMillis} from the moment the cluster is published
     * until it is replaced or removed (or the proxy closes).
     */
    private void whileActive(UpstreamCluster cluster, Runnable task, long everyMillis) {
        var published = new java.util.concurrent.atomic.AtomicBoolean();
        var handle = new AtomicReference<java.util.concurrent.ScheduledFuture<?>>();
        handle.set(background.scheduleWithFixedDelay(() -> {
            boolean current = snapshot.get().clusters().get(cluster.name()) == cluster;
            if (current) {
                published.set(true);
                task.run();
            } else if (published.get() || closed.get()) {
                handle.get().cancel(false);
            }
        }, 0, Math.max(1, everyMillis), TimeUnit.MILLISECONDS));
    }

    /**
     * Adds or replaces SDS secrets (from the bootstrap, or pushed over ADS; a push never removes one). Listeners
     * and clusters that use a changed secret are compiled again: new connections get the new certificate, open
     * ones keep theirs, and listeners warming for it start serving.
     */
    public synchronized List<ConfigError> applySecrets(List<Secret> protos, boolean dynamic) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, TlsSecret> next = new HashMap<>(secrets);
        Map<String, Secret> accepted = new LinkedHashMap<>(resources.secrets);
        Set<String> changed = new TreeSet<>();
        for (Secret p : protos) {
            if (p.equals(accepted.get(p.getName()))) {
                continue;
            }
            try {
                next.put(p.getName(), TlsSecret.compile(p));
                accepted.put(p.getName(), p);
                changed.add(p.getName());
                if (!dynamic) {
                    resources.staticSecrets.add(p.getName());
                }
            } catch (ConfigException e) {
                errors.add(new ConfigError("secret", p.getName(), e.getMessage()));
            }
        }
        if (changed.isEmpty()) {
            return errors;
        }
        secrets = Map.copyOf(next);
        resources.secrets = accepted;
        changed.forEach(name -> resources.secretsUpdated.put(name, options.clock().instant()));
        errors.addAll(rebuildClustersUsing(changed));
        List<ConfigError> listenerErrors = new ArrayList<>();
        resources.listeners = installListeners(resources.listeners.values(), changed, listenerErrors);
        errors.addAll(listenerErrors);
        return errors;
    }

    private SecretLookup secretLookup() {
        Map<String, TlsSecret> now = secrets;
        return now::get;
    }

    private List<ConfigError> rebuildClustersUsing(Set<String> changedSecrets) {
        List<ConfigError> errors = new ArrayList<>();
        ProxySnapshot now = snapshot.get();
        Map<String, UpstreamCluster> next = new HashMap<>(now.clusters());
        boolean rebuilt = false;
        for (Cluster p : resources.clusters.values()) {
            if (Collections.disjoint(SecretReferences.of(p), changedSecrets)) {
                continue;
            }
            try {
                next.put(p.getName(), build(ClusterCompiler.compile(p, secretLookup()), now.clusters().get(p.getName())));
                rebuilt = true;
            } catch (ConfigException e) {
                errors.add(new ConfigError("cluster", p.getName(), e.getMessage()));
            }
        }
        if (rebuilt) {
            publish(next, now.routes());
        }
        return errors;
    }

    /**
     * Applies endpoint assignments for EDS clusters. The cluster stays the same object, so its circuit breakers,
     * stats and health checker carry on, and hosts that stay keep their state (see {@link UpstreamCluster#replaceEndpoints}).
     */
    public synchronized List<ConfigError> applyEndpoints(List<ClusterLoadAssignment> assignments) {
        List<ConfigError> errors = new ArrayList<>();
        ProxySnapshot now = snapshot.get();
        for (ClusterLoadAssignment cla : assignments) {
            try {
                List<EndpointConfig> endpoints = ClusterCompiler.endpoints(cla);
                resources.endpoints.put(cla.getClusterName(), cla);
                UpstreamCluster c = now.clusters().get(cla.getClusterName());
                if (c != null && c.config().type() == ClusterConfig.DiscoveryType.EDS) {
                    c.replaceEndpoints(endpoints);
                }
            } catch (ConfigException e) {
                errors.add(new ConfigError("endpoints", cla.getClusterName(), e.getMessage()));
            }
        }
        publish(now.clusters(), now.routes());
        return errors;
    }

    /** Replaces the RDS route tables; listeners waiting for them are activated. */
    public synchronized List<ConfigError> applyRoutes(List<RouteConfiguration> protos, boolean dynamic) {
        List<ConfigError> errors = new ArrayList<>();
        ProxySnapshot now = snapshot.get();
        Map<String, RouteTable> next = new HashMap<>();
        Map<String, RouteConfiguration> accepted = new LinkedHashMap<>();
        for (RouteConfiguration p : protos) {
            try {
                next.put(p.getName(), RouteTableCompiler.compile(p, perRouteFilters));
                accepted.put(p.getName(), p);
            } catch (ConfigException e) {
                errors.add(new ConfigError("route", p.getName(), e.getMessage()));
                if (now.routes().containsKey(p.getName())) {
                    next.put(p.getName(), now.routes().get(p.getName()));
                    accepted.put(p.getName(), resources.routes.get(p.getName()));
                }
            }
        }
        resources.routes = accepted;
        publish(now.clusters(), next);
        if (!warming.isEmpty()) {
            activateWarmListeners(errors);
        }
        return errors;
    }

    /**
     * Replaces the listener set. A listener that needs RDS routes or SDS secrets not yet known waits (warms) for
     * them; if it replaces a serving version, that version serves until the new one is warm.
     */
    public synchronized List<ConfigError> applyListeners(List<Listener> protos, boolean dynamic) {
        Map<String, Listener> incoming = new LinkedHashMap<>();
        protos.forEach(p -> incoming.put(p.getName(), p));
        if (dynamic) {
            for (String name : resources.staticListeners) {
                Listener l = resources.listeners.get(name);
                if (l != null) {
                    incoming.putIfAbsent(name, l);
                }
            }
        }
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Listener> accepted = installListeners(incoming.values(), Set.of(), errors);
        if (!dynamic) {
            protos.stream().map(Listener::getName).filter(accepted::containsKey).forEach(resources.staticListeners::add);
        }
        resources.listeners = accepted;
        return errors;
    }

    /**
     * Compiles listeners and binds the ready ones. A listener whose proto is unchanged and that uses none of
     * {@code changedSecrets} keeps its compiled config (and its filters' state). Returns the accepted protos.
     */
    private Map<String, Listener> installListeners(Collection<Listener> protos, Set<String> changedSecrets,
            List<ConfigError> errors) {
        Map<String, ListenerConfig> active = new LinkedHashMap<>();
        for (ListenerConfig l : listenerManager.active()) {
            active.put(l.name(), l);
        }
        Map<String, ListenerConfig> wanted = new LinkedHashMap<>();
        Map<String, Listener> accepted = new LinkedHashMap<>();
        for (Listener p : protos) {
            String name = p.getName();
            ListenerConfig current = active.get(name);
            if (current != null && !warming.containsKey(name) && p.equals(resources.listeners.get(name))
                    && Collections.disjoint(SecretReferences.of(p), changedSecrets)) {
                wanted.put(name, current);
                accepted.put(name, p);
                continue;
            }
            try {
                wanted.put(name, listenerCompiler.compile(p, secretLookup()));
                accepted.put(name, p);
            } catch (ConfigException e) {
                errors.add(new ConfigError("listener", name, e.getMessage()));
                if (current != null) {
                    wanted.put(name, current);
                    accepted.put(name, resources.listeners.get(name));
                }
            }
        }
        warming.clear();
        List<ListenerConfig> ready = new ArrayList<>();
        for (ListenerConfig l : wanted.values()) {
            ListenerConfig current = active.get(l.name());
            if (l.missingSecrets().isEmpty() && (routesKnown(l) || current != null)) {
                ready.add(l);
            } else {
                warming.put(l.name(), l);
                if (current != null) {
                    ready.add(current);
                }
            }
        }
        errors.addAll(listenerManager.update(ready));
        return accepted;
    }

    private boolean routesKnown(ListenerConfig l) {
        return snapshot.get().routes().keySet().containsAll(l.rdsNames());
    }

    private void activateWarmListeners(List<ConfigError> errors) {
        List<ListenerConfig> all = new ArrayList<>(listenerManager.active());
        boolean changed = false;
        for (var it = warming.values().iterator(); it.hasNext();) {
            ListenerConfig l = it.next();
            if (l.missingSecrets().isEmpty() && routesKnown(l)) {
                all.add(l);
                it.remove();
                changed = true;
            }
        }
        if (changed) {
            errors.addAll(listenerManager.update(all));
        }
    }

    /** Swaps the snapshot in; each event loop then closes its pools to hosts that left. */
    private void publish(Map<String, UpstreamCluster> clusters, Map<String, RouteTable> routes) {
        snapshot.set(new ProxySnapshot(++version, clusters, routes));
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
        synchronized (this) {
            return List.copyOf(warming.keySet());
        }
    }

    /** SDS secrets that warming listeners wait for. */
    List<String> warmingSecrets() {
        synchronized (this) {
            return warming.values().stream().flatMap(l -> l.missingSecrets().stream()).distinct().sorted().toList();
        }
    }

    java.time.Clock clock() {
        return options.clock();
    }

    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    Bootstrap bootstrap() {
        return bootstrap;
    }

    ConfigResources resources() {
        return resources;
    }

    ListenerManager listeners() {
        return listenerManager;
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

    /** Blocks until the proxy is closed (for example by the admin's /quitquitquit). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
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
        background.shutdownNow();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        accessLogs.close();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        terminated.countDown();
    }

    /** The protos in force, for /config_dump; rejected resources are not here, their last good versions are. */
    static final class ConfigResources {
        volatile Map<String, Cluster> clusters = Map.of();
        volatile Map<String, RouteConfiguration> routes = Map.of();
        volatile Map<String, Listener> listeners = Map.of();
        volatile Map<String, Secret> secrets = Map.of();
        final Map<String, java.time.Instant> secretsUpdated = new ConcurrentHashMap<>();
        final java.util.Set<String> staticSecrets = ConcurrentHashMap.newKeySet();
        final Map<String, ClusterLoadAssignment> endpoints = new ConcurrentHashMap<>();
        final java.util.Set<String> staticClusters = ConcurrentHashMap.newKeySet();
        final java.util.Set<String> staticListeners = ConcurrentHashMap.newKeySet();
    }
}
