package dev.weft.proxy.upstream.lb;

import dev.weft.proxy.upstream.ClusterConfig;
import dev.weft.proxy.upstream.Host;
import java.util.List;
import java.util.random.RandomGenerator;

/** Builds the load balancer a cluster's policy asks for, over one list of hosts. */
public final class LoadBalancers {

    private LoadBalancers() {
    }

    public static LoadBalancer create(ClusterConfig.LbPolicy policy, List<Host> hosts, long minRingSize,
            RandomGenerator random) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a load balancer needs at least one host");
        }
        return switch (policy) {
            case ROUND_ROBIN -> new RoundRobinLoadBalancer(hosts, random.nextInt(hosts.size()));
            case LEAST_REQUEST -> new LeastRequestLoadBalancer(hosts, random);
            case RANDOM, CLUSTER_PROVIDED -> new RandomLoadBalancer(hosts, random);
            case RING_HASH -> new RingHashLoadBalancer(hosts, minRingSize, random);
            case MAGLEV -> new MaglevLoadBalancer(hosts, random);
        };
    }
}
