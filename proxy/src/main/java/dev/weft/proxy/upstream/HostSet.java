package dev.weft.proxy.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * An immutable view of a cluster's hosts by priority, with the hosts to route to at each level and the share of
 * traffic each level gets. A level keeps its share up to its healthy fraction times 1.4 (Envoy's overprovisioning
 * factor), the rest spills to the next level. A level under 50% healthy is in panic and routes to all its hosts.
 */
public final class HostSet {

    private static final double OVERPROVISIONING = 1.4;
    private static final double PANIC_THRESHOLD = 0.5;

    private final List<List<Host>> routable;
    private final int[] cumulativeLoad;
    private final long validUntilNanos;

    private HostSet(List<List<Host>> routable, int[] cumulativeLoad, long validUntilNanos) {
        this.routable = routable;
        this.cumulativeLoad = cumulativeLoad;
        this.validUntilNanos = validUntilNanos;
    }

    static HostSet of(List<Host> hosts, long validUntilNanos) {
        TreeMap<Integer, List<Host>> byPriority = new TreeMap<>();
        for (Host h : hosts) {
            byPriority.computeIfAbsent(h.config().priority(), p -> new ArrayList<>()).add(h);
        }
        List<List<Host>> routable = new ArrayList<>();
        List<Double> health = new ArrayList<>();
        for (List<Host> level : byPriority.values()) {
            List<Host> healthy = level.stream().filter(Host::healthy).toList();
            double fraction = (double) healthy.size() / level.size();
            routable.add(fraction < PANIC_THRESHOLD ? List.copyOf(level) : healthy);
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
        return new HostSet(List.copyOf(routable), cumulative, validUntilNanos);
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
