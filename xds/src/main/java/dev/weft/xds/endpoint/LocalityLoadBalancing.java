package dev.weft.xds.endpoint;

import dev.weft.model.networking.LocalityDistribute;
import dev.weft.model.networking.LocalityFailover;
import dev.weft.model.networking.LocalityLoadBalancerSetting;
import dev.weft.xds.mesh.Locality;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.push.EffectivePolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Istio's locality load balancing of one cluster, relative to the client proxy's locality. {@code distribute}
 * reweights the localities the rule for the proxy's locality names (and drops the others). Failover puts
 * localities in priorities by how much of region/zone/subzone they share with the proxy ({@code failover} moves
 * a region's other regions below its named fallback), or puts endpoints in priorities by how many of the
 * {@code failoverPriority} labels, in order, they share with the proxy. Failover needs outlier detection: without
 * it no endpoint ever leaves priority 0's health, so Istio applies none. Locality LB is on unless
 * {@code enabled: false} (Istio's mesh default).
 */
final class LocalityLoadBalancing {

    /** Topology labels a proxy and an endpoint carry implicitly, from their localities. */
    private static final String REGION_LABEL = "topology.kubernetes.io/region";
    private static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    private static final String SUBZONE_LABEL = "topology.istio.io/subzone";

    private LocalityLoadBalancing() {
    }

    static List<LocalityGroup> apply(List<LocalityGroup> groups, EffectivePolicy policy, ProxyNode proxy) {
        LocalityLoadBalancerSetting setting = policy.loadBalancer() == null ? null
                : policy.loadBalancer().localityLbSetting();
        if (setting != null && Boolean.FALSE.equals(setting.enabled())) {
            return groups;
        }
        if (setting != null && !setting.distribute().isEmpty()) {
            return distribute(groups, setting.distribute(), proxy.locality());
        }
        if (policy.outlierDetection() == null) {
            return groups;
        }
        if (setting != null && !setting.failoverPriority().isEmpty()) {
            return compact(byLabels(groups, setting.failoverPriority(), proxy));
        }
        return compact(byLocality(groups, setting == null ? List.of() : setting.failover(), proxy.locality()));
    }

    /**
     * The first rule whose {@code from} covers the proxy decides: each {@code to} entry's weight is shared among
     * the localities it matches, in proportion to their own weights; localities no entry matches get no traffic.
     */
    private static List<LocalityGroup> distribute(List<LocalityGroup> groups, List<LocalityDistribute> rules,
            Locality proxy) {
        for (LocalityDistribute rule : rules) {
            if (!matches(rule.from(), proxy)) {
                continue;
            }
            Map<LocalityGroup, Integer> weights = new LinkedHashMap<>();
            List<LocalityGroup> unclaimed = new ArrayList<>(groups);
            rule.to().forEach((pattern, share) -> {
                List<LocalityGroup> claimed = unclaimed.stream().filter(g -> matches(pattern, g.locality())).toList();
                unclaimed.removeAll(claimed);
                long total = claimed.stream().mapToLong(LocalityGroup::weight).sum();
                for (LocalityGroup group : claimed) {
                    int weight = (int) Math.ceil((double) group.weight() * share / total);
                    if (weight > 0) {
                        weights.put(group, weight);
                    }
                }
            });
            return groups.stream().filter(weights::containsKey).map(g -> g.withWeight(weights.get(g))).toList();
        }
        return groups;
    }

    /** Istio's locality pattern: {@code region[/zone[/subzone]]}, where {@code *} or a missing part matches any. */
    static boolean matches(String pattern, Locality locality) {
        String[] parts = pattern.split("/", 3);
        return part(parts, 0, locality.region()) && part(parts, 1, locality.zone()) && part(parts, 2, locality.subzone());
    }

    private static boolean part(String[] parts, int index, String value) {
        return index >= parts.length || parts[index].isEmpty() || parts[index].equals("*") || parts[index].equals(value);
    }

    /**
     * Same subzone 0, same zone 1, same region 2, another region 3; when the proxy's region has a failover rule,
     * regions other than its {@code to} drop to 4.
     */
    private static List<LocalityGroup> byLocality(List<LocalityGroup> groups, List<LocalityFailover> failover,
            Locality proxy) {
        List<LocalityGroup> out = new ArrayList<>();
        for (LocalityGroup group : groups) {
            Locality where = group.locality();
            int priority = !where.region().equals(proxy.region()) ? 3
                    : !where.zone().equals(proxy.zone()) ? 2
                    : !where.subzone().equals(proxy.subzone()) ? 1 : 0;
            if (priority == 3) {
                for (LocalityFailover rule : failover) {
                    if (rule.from().equals(proxy.region())) {
                        priority = where.region().equals(rule.to()) ? 3 : 4;
                        break;
                    }
                }
            }
            out.add(group.withPriority(priority));
        }
        return out;
    }

    /**
     * An endpoint sharing every label with the proxy is priority 0; one that first differs at label {@code j} of
     * {@code n} is {@code n - j}. {@code label=value} compares endpoints with that value instead of the proxy's.
     */
    private static List<LocalityGroup> byLabels(List<LocalityGroup> groups, List<String> labels, ProxyNode proxy) {
        Map<String, String> proxyLabels = withTopology(proxy.labels(), proxy.locality());
        List<LocalityGroup> out = new ArrayList<>();
        for (LocalityGroup group : groups) {
            Map<Integer, List<WorkloadInstance>> byPriority = new HashMap<>();
            for (WorkloadInstance workload : group.workloads()) {
                Map<String, String> endpointLabels = withTopology(workload.labels(), workload.locality());
                int priority = 0;
                for (int j = 0; j < labels.size(); j++) {
                    String entry = labels.get(j);
                    int equals = entry.indexOf('=');
                    String label = equals < 0 ? entry : entry.substring(0, equals);
                    String wanted = equals < 0 ? proxyLabels.get(label) : entry.substring(equals + 1);
                    if (wanted == null || !wanted.equals(endpointLabels.get(label))) {
                        priority = labels.size() - j;
                        break;
                    }
                }
                byPriority.computeIfAbsent(priority, p -> new ArrayList<>()).add(workload);
            }
            new TreeSet<>(byPriority.keySet()).forEach(priority -> out.add(
                    LocalityGroup.of(group.locality(), byPriority.get(priority)).withPriority(priority)));
        }
        return out;
    }

    private static Map<String, String> withTopology(Map<String, String> labels, Locality locality) {
        Map<String, String> all = new HashMap<>();
        putIfSet(all, REGION_LABEL, locality.region());
        putIfSet(all, ZONE_LABEL, locality.zone());
        putIfSet(all, SUBZONE_LABEL, locality.subzone());
        all.putAll(labels);
        return all;
    }

    private static void putIfSet(Map<String, String> labels, String key, String value) {
        if (!value.isEmpty()) {
            labels.put(key, value);
        }
    }

    /** Envoy wants priorities 0..N without gaps: renumber the ones in use, keeping their order. */
    private static List<LocalityGroup> compact(List<LocalityGroup> groups) {
        List<Integer> used = new ArrayList<>(new TreeSet<>(groups.stream().map(LocalityGroup::priority).toList()));
        return groups.stream()
                .map(g -> g.withPriority(used.indexOf(g.priority())))
                .sorted(Comparator.comparingInt(LocalityGroup::priority))
                .toList();
    }
}
