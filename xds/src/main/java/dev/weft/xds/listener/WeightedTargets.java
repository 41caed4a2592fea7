package dev.weft.xds.listener;

import java.util.List;

/** Where an L4 route sends connections: one cluster, or several by weight. */
record WeightedTargets(List<Target> clusters) {

    record Target(String name, int weight) {
    }

    WeightedTargets {
        clusters = List.copyOf(clusters);
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("an L4 route needs at least one destination");
        }
    }

    static WeightedTargets single(String cluster) {
        return new WeightedTargets(List.of(new Target(cluster, 1)));
    }
}
