package dev.weft.proxy.upstream;

import dev.weft.proxy.transport.Transport;
import dev.weft.proxy.upstream.lb.LoadBalancer;
import dev.weft.proxy.upstream.lb.LoadBalancers;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The upstream state of one event loop: a load balancer per cluster host set and connection pools per host.
 * Only its own event loop touches it, so nothing here is synchronised.
 */
public final class UpstreamWorker {

    private final EventLoop loop;
    private final Transport transport;
    private final RandomGenerator random;
    private final Map<UpstreamCluster, Balancers> balancers = new WeakHashMap<>();
    private final Map<Host, ConnectionPool> http1Pools = new HashMap<>();
    private final Map<Host, ConnectionPool> http2Pools = new HashMap<>();

    /** Load balancers of one host set: per priority level, and per weighted locality within each level. */
    private record Balancers(HostSet hostSet, LoadBalancer[] byPriority, LoadBalancer[][] byLocality) {
    }

    private final Supplier<? extends ClusterSnapshot> snapshots;
    private long prunedAtVersion = -1;

    public UpstreamWorker(EventLoop loop, Transport transport, RandomGenerator random,
            Supplier<? extends ClusterSnapshot> snapshots) {
        this.loop = loop;
        this.transport = transport;
        this.random = random;
        this.snapshots = snapshots;
    }

    /**
     * Picks a host: a priority level by its share of load, with locality weighting a locality of it by its
     * effective weight, then that level's (or locality's) load balancer. {@code avoid} (e.g.
     * hosts already tried) is honoured for up to {@code attempts} picks. Null when the cluster has no hosts.
     */
    public Host chooseHost(UpstreamCluster cluster, Long hash, Predicate<Host> avoid, int attempts) {
        HostSet set = cluster.hostSet();
        if (set.isEmpty()) {
            return null;
        }
        Balancers b = balancers.get(cluster);
        if (b == null || b.hostSet() != set) {
            b = balancersFor(cluster, set);
            balancers.put(cluster, b);
        }
        int priority = set.priorityFor(random.nextInt(100));
        LoadBalancer lb = b.byPriority()[priority];
        if (lb == null) {
            return null;
        }
        List<HostSet.Locality> localities = set.localities(priority);
        if (!localities.isEmpty()) {
            lb = b.byLocality()[priority][pickLocality(localities)];
        }
        Host chosen = lb.choose(hash);
        for (int i = 1; i < attempts && avoid != null && avoid.test(chosen); i++) {
            chosen = lb.choose(hash == null ? null : hash + i);
        }
        return chosen;
    }

    private Balancers balancersFor(UpstreamCluster cluster, HostSet set) {
        ClusterConfig config = cluster.config();
        LoadBalancer[] lbs = new LoadBalancer[set.priorityCount()];
        LoadBalancer[][] byLocality = new LoadBalancer[set.priorityCount()][];
        for (int p = 0; p < lbs.length; p++) {
            if (!set.hosts(p).isEmpty()) {
                lbs[p] = LoadBalancers.create(config.lbPolicy(), set.hosts(p), config.minRingSize(), random);
            }
            List<HostSet.Locality> localities = set.localities(p);
            byLocality[p] = new LoadBalancer[localities.size()];
            for (int l = 0; l < localities.size(); l++) {
                byLocality[p][l] = LoadBalancers.create(config.lbPolicy(), localities.get(l).hosts(), config.minRingSize(), random);
            }
        }
        return new Balancers(set, lbs, byLocality);
    }

    /** A locality drawn at random in proportion to its effective weight. */
    private int pickLocality(List<HostSet.Locality> localities) {
        double total = 0;
        for (HostSet.Locality l : localities) {
            total += l.effectiveWeight();
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < localities.size() - 1; i++) {
            draw -= localities.get(i).effectiveWeight();
            if (draw < 0) {
                return i;
            }
        }
        return localities.size() - 1;
    }

    /**
     * Opens a stream to {@code host}; the listener hears of readiness or failure on this event loop. The result
     * cancels the request while it waits for a connection.
     */
    public PendingStream newStream(UpstreamCluster cluster, Host host, boolean http2, UpstreamStreamListener listener) {
        closePoolsOfRemovedHosts();
        Map<Host, ConnectionPool> pools = http2 ? http2Pools : http1Pools;
        ConnectionPool pool = pools.get(host);
        if (pool == null || pool.cluster() != cluster) {
            // A host kept across a cluster update gets a pool with the new cluster's settings.
            if (pool != null) {
                pool.close();
            }
            // Not computeIfAbsent: its capturing lambda would be a fresh object on every request.
            pool = http2 ? new Http2ConnectionPool(loop, cluster, host, transport)
                    : new Http1ConnectionPool(loop, cluster, host, transport);
            pools.put(host, pool);
        }
        return pool.newStream(listener);
    }

    /**
     * Opens an unpooled connection to {@code host} for tcp_proxy: TCP, then the cluster's TLS handshake if it has a
     * transport socket. {@code pipeline} adds the handlers that relay its bytes.
     */
    public Future<Channel> connect(UpstreamCluster cluster, Host host, Consumer<ChannelPipeline> pipeline) {
        return UpstreamConnector.connect(loop, transport, cluster, host, false, pipeline);
    }

    /**
     * After a config change: pools of hosts no cluster has any more, or of a cluster version that was replaced, are
     * closed (gracefully) and forgotten. Runs on
     * this worker's event loop, when the proxy publishes a snapshot and before a request takes a pool.
     */
    public void closePoolsOfRemovedHosts() {
        ClusterSnapshot now = snapshots.get();
        if (now.version() == prunedAtVersion) {
            return;
        }
        prunedAtVersion = now.version();
        Set<Host> live = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<UpstreamCluster> liveClusters = Collections.newSetFromMap(new IdentityHashMap<>());
        for (UpstreamCluster c : now.clusters().values()) {
            live.addAll(c.hosts());
            liveClusters.add(c);
        }
        for (Map<Host, ConnectionPool> pools : List.of(http1Pools, http2Pools)) {
            for (var it = pools.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (!live.contains(e.getKey()) || !liveClusters.contains(e.getValue().cluster())) {
                    e.getValue().close();
                    it.remove();
                }
            }
        }
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public RandomGenerator random() {
        return random;
    }
}
