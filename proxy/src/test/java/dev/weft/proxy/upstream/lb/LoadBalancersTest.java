package dev.weft.proxy.upstream.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.proxy.upstream.ClusterConfig.LbPolicy;
import dev.weft.proxy.upstream.EndpointConfig;
import dev.weft.proxy.upstream.Host;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadBalancersTest {

    private static List<Host> hosts(int... weights) {
        List<Host> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            out.add(new Host(new EndpointConfig("10.0.0." + (i + 1), 80, weights[i], 0, ""),
                    new InetSocketAddress("10.0.0." + (i + 1), 80)));
        }
        return out;
    }

    private static Map<Host, Integer> counts(LoadBalancer lb, int n, boolean hashed) {
        Map<Host, Integer> out = new HashMap<>();
        SplittableRandom keys = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            out.merge(lb.choose(hashed ? keys.nextLong() : null), 1, Integer::sum);
        }
        return out;
    }

    @Test
    void weightedRoundRobinIsSmoothAndExact() {
        List<Host> hs = hosts(3, 1);
        LoadBalancer lb = LoadBalancers.create(LbPolicy.ROUND_ROBIN, hs, 0, new SplittableRandom(1));
        List<Host> order = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            order.add(lb.choose(null));
        }
        assertThat(order).containsExactly(hs.get(0), hs.get(0), hs.get(1), hs.get(0), hs.get(0), hs.get(0), hs.get(1), hs.get(0));
    }

    @Test
    void randomFollowsWeights() {
        List<Host> hs = hosts(1, 3);
        Map<Host, Integer> c = counts(LoadBalancers.create(LbPolicy.RANDOM, hs, 0, new SplittableRandom(3)), 4000, false);
        assertThat((double) c.get(hs.get(1))).isCloseTo(3000, within(150.0));
    }

    @Test
    void leastRequestAvoidsTheBusyHost() {
        List<Host> hs = hosts(1, 1);
        hs.get(0).activeRequests().set(10);
        Map<Host, Integer> c = counts(LoadBalancers.create(LbPolicy.LEAST_REQUEST, hs, 0, new SplittableRandom(5)), 4000, false);
        // The busy host wins only when both samples land on it: a quarter of the time.
        assertThat((double) c.getOrDefault(hs.get(0), 0)).isCloseTo(1000, within(120.0));
    }

    @Test
    void ringHashAndMaglevAreStableAndSpread() {
        for (LbPolicy policy : List.of(LbPolicy.RING_HASH, LbPolicy.MAGLEV)) {
            List<Host> hs = hosts(1, 1, 1, 1);
            LoadBalancer lb = LoadBalancers.create(policy, hs, 1024, new SplittableRandom(9));
            for (long key = 0; key < 100; key++) {
                assertThat(lb.choose(key * 7919)).as(policy + " is stable").isSameAs(lb.choose(key * 7919));
            }
            Map<Host, Integer> c = counts(lb, 8000, true);
            assertThat(c).as(policy + " uses every host").hasSize(4);
            c.values().forEach(v -> assertThat((double) v).as(policy + " spreads").isCloseTo(2000, within(700.0)));
        }
    }

    @Test
    void consistentHashingMovesFewKeysWhenAHostLeaves() {
        List<Host> four = hosts(1, 1, 1, 1);
        List<Host> three = four.subList(0, 3);
        for (LbPolicy policy : List.of(LbPolicy.RING_HASH, LbPolicy.MAGLEV)) {
            LoadBalancer before = LoadBalancers.create(policy, four, 1024, new SplittableRandom(1));
            LoadBalancer after = LoadBalancers.create(policy, three, 1024, new SplittableRandom(1));
            int moved = 0;
            SplittableRandom keys = new SplittableRandom(11);
            for (int i = 0; i < 2000; i++) {
                long k = keys.nextLong();
                Host b = before.choose(k);
                if (b != four.get(3) && b != after.choose(k)) {
                    moved++;
                }
            }
            assertThat(moved).as(policy + " keys not on the removed host stay put").isLessThan(400);
        }
    }
}
