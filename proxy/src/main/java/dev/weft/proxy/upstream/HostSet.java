package dev.weft.proxy.upstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable view of a cluster's hosts by priority, with the hosts to route to at each level and the share of
 * traffic each level gets. A level keeps its share up to its healthy fraction times 1.4 (Envoy's overprovisioning
 * factor), the rest spills to the next level. A level under 50% healthy is in panic and routes to all its hosts.
 * With locality weighting, each level is also split by locality: a locality's effective weight is its
 * load_balancing_weight times its availability (healthy fraction x 1.4, at most 1), as in Envoy; a locality
 * without a weight gets no traffic.
 */
public final class HostSet {

    private static final double OVERPROVISIONING = 1.4;
    private static final double PANIC_THRESHOLD = 0.5;

    private final List<List<Host>> routable;
    private final List<List<Locality>> localities;
    private final int[] cumulativeLoad;
    private final long validUntilNanos;

    /** The routable hosts of one locality in one priority level, and the share of that level it gets. */
    public record Locality(List<Host> hosts, double effectiveWeight) {

        public Locality {
            hosts = List.copyOf(hosts);
        }
    }

    private HostSet(List<List<Host>> routable, List<List<Locality>> localities, int[] cumulativeLoad, long validUntilNanos) {
        this.routable = routable;
        this.localities = localities;
        this.cumulativeLoad = cumulativeLoad;
        this.validUntilNanos = validUntilNanos;
    }

    static HostSet of(List<Host> hosts, long validUntilNanos) {
        return of(hosts, validUntilNanos, false);
    }

    static HostSet of(List<Host> hosts, long validUntilNanos, boolean localityWeighted) {
        TreeMap<Integer, List<Host>> byPriority = new TreeMap<>();
        for (Host h : hosts) {
            byPriority.computeIfAbsent(h.config().priority(), p -> new ArrayList<>()).add(h);
        }
        List<List<Host>> routable = new ArrayList<>();
        List<List<Locality>> localities = new ArrayList<>();
        List<Double> health = new ArrayList<>();
        for (List<Host> level : byPriority.values()) {
            List<Host> healthy = level.stream().filter(Host::healthy).toList();
            double fraction = (double) healthy.size() / level.size();
            boolean panic = fraction < PANIC_THRESHOLD;
            routable.add(panic ? List.copyOf(level) : healthy);
            localities.add(localityWeighted ? localities(level, panic) : List.of());
            health.add(Math.min(1.0, fraction * OVERPROVISIONING));
        }
        int[] cumulative = new int[routable.size()];
        int remaining = 100;
        int sum = 0;
        for (int i = 0; i < routable.size(); i++) {
            int load = i == routable.size() - 1 ? remaining : (int) Math.min(remaining, Math.round(health.get(i) * 100));
            remaining -= load;
            sum += load;
            cumulative[i] = sum;
        }
        return new HostSet(List.copyOf(routable), List.copyOf(localities), cumulative, validUntilNanos);
    }

    /** In panic a level routes to all its hosts, so its localities count at full weight. */
    private static List<Locality> localities(List<Host> level, boolean panic) {
        Map<String, List<Host>> byLocality = new LinkedHashMap<>();
        for (Host h : level) {
            byLocality.computeIfAbsent(h.config().locality(), l -> new ArrayList<>()).add(h);
        }
        List<Locality> out = new ArrayList<>();
        for (List<Host> members : byLocality.values()) {
            int weight = members.get(0).config().localityWeight();
            List<Host> healthy = members.stream().filter(Host::healthy).toList();
            double availability = panic ? 1.0 : Math.min(1.0, OVERPROVISIONING * healthy.size() / members.size());
            List<Host> targets = panic ? members : healthy;
            if (weight > 0 && availability > 0 && !targets.isEmpty()) {
                out.add(new Locality(targets, weight * availability));
            }
        }
        return out;
    }

    boolean validAt(long nowNanos) {
        return nowNanos < validUntilNanos;
    }

    public int priorityCount() {
        return routable.size();
    }

    public List<Host> hosts(int priority) {
        return routable.get(priority);
    }

    /** The weighted localities of a level; empty when the cluster does not weight localities. */
    public List<Locality> localities(int priority) {
        return localities.get(priority);
    }

    /** The priority level for a draw in [0, 100). */
    public int priorityFor(int draw) {
        for (int i = 0; i < cumulativeLoad.length; i++) {
            if (draw < cumulativeLoad[i]) {
                return i;
            }
        }
        return Math.max(0, cumulativeLoad.length - 1);
    }

    public boolean isEmpty() {
        return routable.isEmpty();
    }
}
