package dev.weft.proxy.upstream.lb;

import dev.weft.proxy.router.HashPolicies;
import dev.weft.proxy.upstream.Host;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Consistent hashing on a ring built once per host set: each host owns a number of points proportional to its
 * weight; a request goes to the first point at or after its hash. Without a hash it picks at random.
 */
final class RingHashLoadBalancer implements LoadBalancer {

    private final long[] points;
    private final Host[] owners;
    private final RandomGenerator random;

    RingHashLoadBalancer(List<Host> hosts, long minRingSize, RandomGenerator random) {
        this.random = random;
        long totalWeight = hosts.stream().mapToLong(Host::weight).sum();
        int size = (int) Math.min(Math.max(minRingSize, hosts.size()), 8_388_608);
        int count = 0;
        for (Host h : hosts) {
            count += (int) Math.max(1, Math.round((double) size * h.weight() / totalWeight));
        }
        long[][] entries = new long[count][2];
        int i = 0;
        for (int hostIndex = 0; hostIndex < hosts.size(); hostIndex++) {
            Host h = hosts.get(hostIndex);
            long replicas = Math.max(1, Math.round((double) size * h.weight() / totalWeight));
            for (long r = 0; r < replicas; r++) {
                entries[i][0] = HashPolicies.hashString(h.label() + "_" + r);
                entries[i][1] = hostIndex;
                i++;
            }
        }
        Arrays.sort(entries, (x, y) -> Long.compareUnsigned(x[0], y[0]));
        points = new long[count];
        owners = new Host[count];
        for (int k = 0; k < count; k++) {
            points[k] = entries[k][0];
            owners[k] = hosts.get((int) entries[k][1]);
        }
    }

    @Override
    public Host choose(Long hash) {
        long h = hash == null ? random.nextLong() : hash;
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(points[mid], h) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return owners[lo == points.length ? 0 : lo];
    }
}
