package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostSetTest {

    private static List<Host> hosts(int... priorities) {
        List<Host> out = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            out.add(new Host(new EndpointConfig("10.0.0." + (i + 1), 80, 1, priorities[i], ""),
                    new InetSocketAddress("10.0.0." + (i + 1), 80)));
        }
        return out;
    }

    private static int share(HostSet set, int priority) {
        int n = 0;
        for (int draw = 0; draw < 100; draw++) {
            if (set.priorityFor(draw) == priority) {
                n++;
            }
        }
        return n;
    }

    @Test
    void healthyPriorityZeroTakesAllTraffic() {
        HostSet set = HostSet.of(hosts(0, 0, 1, 1), Long.MAX_VALUE);
        assertThat(share(set, 0)).isEqualTo(100);
    }

    @Test
    void degradedPrioritySpillsToTheNextWithOverprovisioning() {
        List<Host> hs = hosts(0, 0, 0, 0, 1, 1);
        hs.get(0).eject(Long.MAX_VALUE);
        hs.get(1).eject(Long.MAX_VALUE);
        // 50% healthy x 1.4 = 70% stays on priority 0, 30% fails over.
        HostSet set = HostSet.of(hs, Long.MAX_VALUE);
        assertThat(share(set, 0)).isEqualTo(70);
        assertThat(share(set, 1)).isEqualTo(30);
        assertThat(set.hosts(0)).containsExactly(hs.get(2), hs.get(3));
    }

    @Test
    void aLevelInPanicRoutesToAllItsHosts() {
        List<Host> hs = hosts(0, 0, 0);
        hs.get(0).eject(Long.MAX_VALUE);
        hs.get(1).eject(Long.MAX_VALUE);
        HostSet set = HostSet.of(hs, Long.MAX_VALUE);
        assertThat(set.hosts(0)).hasSize(3);
    }

    private static Host inLocality(int i, String zone, int localityWeight) {
        return new Host(new EndpointConfig("10.0.1." + i, 80, 1, 0, "r/" + zone + "/", localityWeight),
                new InetSocketAddress("10.0.1." + i, 80));
    }

    @Test
    void localityWeightsScaleWithAvailabilityAndUnweightedLocalitiesGetNothing() {
        List<Host> hs = List.of(inLocality(1, "a", 1), inLocality(2, "b", 3), inLocality(3, "b", 3),
                inLocality(4, "b", 3), inLocality(5, "b", 3), inLocality(6, "c", 0));
        hs.get(1).setFailedActiveHealthCheck(true);
        hs.get(2).setFailedActiveHealthCheck(true);

        HostSet set = HostSet.of(hs, Long.MAX_VALUE, true);

        // b: 2 of 4 healthy, x 1.4 = 0.7 available, 3 x 0.7 = 2.1; a: fully healthy, 1; c: no weight.
        assertThat(set.localities(0)).extracting(HostSet.Locality::effectiveWeight)
                .containsExactly(1.0, 3 * 0.7);
        assertThat(set.localities(0).get(1).hosts()).containsExactly(hs.get(3), hs.get(4));
        assertThat(HostSet.of(hs, Long.MAX_VALUE, false).localities(0)).isEmpty();
    }
}
