package dev.weft.proxy.upstream.lb;

import dev.weft.proxy.upstream.Host;
import java.util.List;
import java.util.random.RandomGenerator;

/** Picks a host at random, in proportion to its weight. */
final class RandomLoadBalancer implements LoadBalancer {

    private final List<Host> hosts;
    private final long[] cumulative;
    private final RandomGenerator random;

    RandomLoadBalancer(List<Host> hosts, RandomGenerator random) {
        this.hosts = hosts;
        this.random = random;
        this.cumulative = new long[hosts.size()];
        long sum = 0;
        for (int i = 0; i < hosts.size(); i++) {
            sum += hosts.get(i).weight();
            cumulative[i] = sum;
        }
    }

    @Override
    public Host choose(Long hash) {
        long r = random.nextLong(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (r < cumulative[i]) {
                return hosts.get(i);
            }
        }
        return hosts.get(hosts.size() - 1);
    }
}
