package dev.weft.proxy.upstream.lb;

import dev.weft.proxy.upstream.Host;
import java.util.List;
import java.util.random.RandomGenerator;

/** Power of two choices: sample two hosts at random and take the one with fewer active requests. */
final class LeastRequestLoadBalancer implements LoadBalancer {

    private final List<Host> hosts;
    private final RandomGenerator random;

    LeastRequestLoadBalancer(List<Host> hosts, RandomGenerator random) {
        this.hosts = hosts;
        this.random = random;
    }

    @Override
    public Host choose(Long hash) {
        int n = hosts.size();
        if (n == 1) {
            return hosts.get(0);
        }
        Host a = hosts.get(random.nextInt(n));
        Host b = hosts.get(random.nextInt(n));
        return b.activeRequests().get() < a.activeRequests().get() ? b : a;
    }
}
