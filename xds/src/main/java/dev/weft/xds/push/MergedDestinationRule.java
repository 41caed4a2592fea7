package dev.weft.xds.push;

import dev.weft.model.networking.Subset;
import dev.weft.model.networking.TrafficPolicy;
import java.util.List;
import java.util.Optional;

/**
 * The DestinationRules that apply to one service from one client's point of view, merged as Istio does:
 * the oldest rule's traffic policy wins, subsets are concatenated with later duplicates dropped.
 *
 * @param trafficPolicy null when no rule sets one
 */
public record MergedDestinationRule(String host, String namespace, TrafficPolicy trafficPolicy, List<Subset> subsets) {

    public MergedDestinationRule {
        subsets = List.copyOf(subsets);
    }

    public Optional<Subset> subset(String name) {
        return subsets.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The policy for traffic to {@code port}, and to {@code subset} if not empty (SEMANTICS §2). */
    public EffectivePolicy policyFor(int port, String subset) {
        EffectivePolicy base = EffectivePolicy.of(trafficPolicy, port);
        if (subset == null || subset.isEmpty()) {
            return base;
        }
        return subset(subset).map(s -> base.overlay(s.trafficPolicy(), port)).orElse(base);
    }
}
