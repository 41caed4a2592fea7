package dev.weft.proxy.upstream.lb;

import dev.weft.proxy.upstream.Host;
import java.util.List;

/**
 * Weighted round robin, smooth: each pick adds every host's weight to its credit, takes the host with the most
 * credit and charges it the total. Hosts of weight 3 and 1 go a, a, b, a rather than a, a, a, b.
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

    private final List<Host> hosts;
    private final long[] credit;
    private final long totalWeight;
    private final boolean equalWeights;
    private int next;

    RoundRobinLoadBalancer(List<Host> hosts, int start) {
        this.hosts = hosts;
        this.credit = new long[hosts.size()];
        this.totalWeight = hosts.stream().mapToLong(Host::weight).sum();
        this.equalWeights = hosts.stream().mapToInt(Host::weight).distinct().count() <= 1;
        this.next = start;
    }

    @Override
    public Host choose(Long hash) {
        if (equalWeights) {
            Host h = hosts.get(Math.floorMod(next, hosts.size()));
            next++;
            return h;
        }
        int best = 0;
        for (int i = 0; i < hosts.size(); i++) {
            credit[i] += hosts.get(i).weight();
            if (credit[i] > credit[best]) {
                best = i;
            }
        }
        credit[best] -= totalWeight;
        return hosts.get(best);
    }
}
