package dev.weft.proxy.upstream;

import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Ticker;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.tls.SecretLookup;
import dev.weft.proxy.tls.SecretReferences;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The clusters in force (Envoy's cluster manager): compiled from CDS or the bootstrap, given their endpoints
 * from EDS, resolved by DNS, health-checked. An unchanged cluster stays the same object, so its circuit breakers,
 * stats, pools and host state carry on; a cluster that fails to compile keeps its last good version. After every
 * change the owner is told ({@code onChange}) so it can publish a new snapshot.
 */
public final class ClusterManager {

    private final Supplier<SecretLookup> secrets;
    private final ClusterFilterRegistry filters;
    private final ScheduledExecutorService background;
    private final Ticker ticker;
    private final Stats stats;
    private final Runnable onChange;
    private volatile Map<String, UpstreamCluster> clusters = Map.of();
    private volatile Map<String, Cluster> protos = Map.of();
    private final Set<String> staticNames = ConcurrentHashMap.newKeySet();
    private final Map<String, ClusterLoadAssignment> endpoints = new ConcurrentHashMap<>();

    /**
     * @param filters the upstream network filters clusters may name
     * @param background runs DNS refreshes and health checks; shutting it down stops them
     * @param onChange called after each change to the cluster set or to endpoints
     */
    public ClusterManager(Supplier<SecretLookup> secrets, ClusterFilterRegistry filters,
            ScheduledExecutorService background, Ticker ticker, Stats stats, Runnable onChange) {
        this.secrets = secrets;
        this.filters = filters;
        this.background = background;
        this.ticker = ticker;
        this.stats = stats;
        this.onChange = onChange;
    }

    /** Replaces the cluster set (state of the world); the bootstrap's static clusters stay in any dynamic one. */
    public synchronized List<ConfigError> apply(List<Cluster> incoming, boolean dynamic) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, UpstreamCluster> now = clusters;
        Map<String, UpstreamCluster> next = new HashMap<>();
        Map<String, Cluster> accepted = new LinkedHashMap<>();
        for (Cluster p : incoming) {
            UpstreamCluster existing = now.get(p.getName());
            try {
                if (existing != null && p.equals(protos.get(p.getName()))) {
                    next.put(p.getName(), existing);
                } else {
                    next.put(p.getName(), build(ClusterCompiler.compile(p, secrets.get(), filters), existing));
                }
                accepted.put(p.getName(), p);
            } catch (ConfigException e) {
                errors.add(new ConfigError("cluster", p.getName(), e.getMessage()));
                if (existing != null) {
                    next.put(p.getName(), existing);
                    accepted.put(p.getName(), protos.get(p.getName()));
                }
            }
        }
        if (!dynamic) {
            staticNames.addAll(accepted.keySet());
        } else {
            for (String name : staticNames) {
                next.putIfAbsent(name, now.get(name));
                accepted.putIfAbsent(name, protos.get(name));
            }
        }
        protos = accepted;
        clusters = Map.copyOf(next);
        onChange.run();
        return errors;
    }

    /**
     * Applies endpoint assignments for EDS clusters. The cluster stays the same object, and hosts that stay keep
     * their state (see {@link UpstreamCluster#replaceEndpoints}).
     */
    public synchronized List<ConfigError> applyEndpoints(List<ClusterLoadAssignment> assignments) {
        List<ConfigError> errors = new ArrayList<>();
        for (ClusterLoadAssignment cla : assignments) {
            try {
                List<EndpointConfig> compiled = ClusterCompiler.endpoints(cla);
                endpoints.put(cla.getClusterName(), cla);
                UpstreamCluster c = clusters.get(cla.getClusterName());
                if (c != null && c.config().type() == ClusterConfig.DiscoveryType.EDS) {
                    c.replaceEndpoints(compiled);
                }
            } catch (ConfigException e) {
                errors.add(new ConfigError("endpoints", cla.getClusterName(), e.getMessage()));
            }
        }
        onChange.run();
        return errors;
    }

    /** Compiles again the clusters whose TLS uses one of {@code changedSecrets}. */
    public synchronized List<ConfigError> secretsChanged(Set<String> changedSecrets) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, UpstreamCluster> next = new HashMap<>(clusters);
        boolean rebuilt = false;
        for (Cluster p : protos.values()) {
            if (Collections.disjoint(SecretReferences.of(p), changedSecrets)) {
                continue;
            }
            try {
                next.put(p.getName(), build(ClusterCompiler.compile(p, secrets.get(), filters), clusters.get(p.getName())));
                rebuilt = true;
            } catch (ConfigException e) {
                errors.add(new ConfigError("cluster", p.getName(), e.getMessage()));
            }
        }
        if (rebuilt) {
            clusters = Map.copyOf(next);
            onChange.run();
        }
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
            case STATIC -> UpstreamCluster.withStaticHosts(config, previousHosts, ticker, stats);
            case EDS -> {
                ClusterLoadAssignment cla = endpoints.get(config.name());
                ClusterConfig withEndpoints = cla == null ? config : config.withEndpoints(ClusterCompiler.endpoints(cla));
                yield UpstreamCluster.withStaticHosts(withEndpoints, previousHosts, ticker, stats);
            }
            case STRICT_DNS, LOGICAL_DNS -> {
                UpstreamCluster c = new UpstreamCluster(config, DnsResolution.resolve(config, previousHosts), ticker,
                        stats);
                whileActive(c, () -> c.replaceHosts(DnsResolution.resolve(config, c.hosts())),
                        config.dnsRefreshRate().toMillis());
                yield c;
            }
            case ORIGINAL_DST, DYNAMIC_FORWARD_PROXY -> new UpstreamCluster(config, List.of(), ticker, stats);
        };
    }

    /**
     * Runs a background task for a cluster every {@code everyMillis} from the moment the cluster is in force until
     * it is replaced or removed (or the background executor is shut down).
     */
    private void whileActive(UpstreamCluster cluster, Runnable task, long everyMillis) {
        AtomicBoolean inForce = new AtomicBoolean();
        AtomicReference<ScheduledFuture<?>> handle = new AtomicReference<>();
        handle.set(background.scheduleWithFixedDelay(() -> {
            if (clusters.get(cluster.name()) == cluster) {
                inForce.set(true);
                task.run();
            } else if (inForce.get()) {
                handle.get().cancel(false);
            }
        }, 0, Math.max(1, everyMillis), TimeUnit.MILLISECONDS));
    }

    public Map<String, UpstreamCluster> clusters() {
        return clusters;
    }

    /** The protos in force, for /config_dump; rejected clusters are not here, their last good versions are. */
    public Map<String, Cluster> protos() {
        return protos;
    }

    public boolean isStatic(String name) {
        return staticNames.contains(name);
    }
}
