package dev.weft.proxy.upstream.lb;

import dev.weft.proxy.router.HashPolicies;
import dev.weft.proxy.upstream.Host;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Maglev consistent hashing: a lookup table of prime size filled once per host set, each host claiming slots
 * along its own permutation in turn (more turns for more weight). A request's hash indexes the table.
 */
final class MaglevLoadBalancer implements LoadBalancer {

    static final int TABLE_SIZE = 65_537;

    private final Host[] table;
    private final RandomGenerator random;

    MaglevLoadBalancer(List<Host> hosts, RandomGenerator random) {
        this.random = random;
        int n = hosts.size();
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        double[] targetWeight = new double[n];
        double maxWeight = hosts.stream().mapToInt(Host::weight).max().orElse(1);
        for (int i = 0; i < n; i++) {
            String key = hosts.get(i).label();
            offset[i] = Long.remainderUnsigned(HashPolicies.hashString(key), TABLE_SIZE);
            skip[i] = Long.remainderUnsigned(HashPolicies.hashString(key + "#skip"), TABLE_SIZE - 1) + 1;
            targetWeight[i] = hosts.get(i).weight() / maxWeight;
        }
        table = new Host[TABLE_SIZE];
        double[] credit = new double[n];
        int filled = 0;
        while (filled < TABLE_SIZE) {
            for (int i = 0; i < n && filled < TABLE_SIZE; i++) {
                credit[i] += targetWeight[i];
                if (credit[i] < 1.0) {
                    continue;
                }
                credit[i] -= 1.0;
                int slot;
                do {
                    slot = (int) ((offset[i] + next[i] * skip[i]) % TABLE_SIZE);
                    next[i]++;
                } while (table[slot] != null);
                table[slot] = hosts.get(i);
                filled++;
            }
        }
    }

    @Override
    public Host choose(Long hash) {
        long h = hash == null ? random.nextLong() : hash;
        return table[(int) Long.remainderUnsigned(h, TABLE_SIZE)];
    }
}
