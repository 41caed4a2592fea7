package dev.weft.xds.push;

import dev.weft.model.networking.ClientTLSSettings;
import dev.weft.model.networking.ConnectionPoolSettings;
import dev.weft.model.networking.LoadBalancerSettings;
import dev.weft.model.networking.OutlierDetection;
import dev.weft.model.networking.PortTrafficPolicy;
import dev.weft.model.networking.TrafficPolicy;
import java.util.Optional;

/**
 * The traffic policy that governs one cluster after Istio's override rules; null members mean defaults.
 */
public record EffectivePolicy(
        LoadBalancerSettings loadBalancer,
        ConnectionPoolSettings connectionPool,
        OutlierDetection outlierDetection,
        ClientTLSSettings tls) {

    public static final EffectivePolicy DEFAULTS = new EffectivePolicy(null, null, null, null);

    /** A port-level entry replaces all four destination-level fields, its omissions meaning defaults. */
    static EffectivePolicy of(TrafficPolicy policy, int port) {
        if (policy == null) {
            return DEFAULTS;
        }
        return portLevel(policy, port)
                .map(p -> new EffectivePolicy(p.loadBalancer(), p.connectionPool(), p.outlierDetection(), p.tls()))
                .orElseGet(() -> new EffectivePolicy(policy.loadBalancer(), policy.connectionPool(),
                        policy.outlierDetection(), policy.tls()));
    }

    /**
     * A subset's policy replaces each top-level field it sets, whole (no deep merge); its port-level entry
     * for the port replaces all four fields, nulls included.
     */
    EffectivePolicy overlay(TrafficPolicy subset, int port) {
        if (subset == null) {
            return this;
        }
        Optional<PortTrafficPolicy> portLevel = portLevel(subset, port);
        if (portLevel.isPresent()) {
            PortTrafficPolicy p = portLevel.get();
            return new EffectivePolicy(p.loadBalancer(), p.connectionPool(), p.outlierDetection(), p.tls());
        }
        return new EffectivePolicy(
                subset.loadBalancer() != null ? subset.loadBalancer() : loadBalancer,
                subset.connectionPool() != null ? subset.connectionPool() : connectionPool,
                subset.outlierDetection() != null ? subset.outlierDetection() : outlierDetection,
                subset.tls() != null ? subset.tls() : tls);
    }

    private static Optional<PortTrafficPolicy> portLevel(TrafficPolicy policy, int port) {
        return policy.portLevelSettings().stream()
                .filter(p -> p.port() != null && p.port().number() == port)
                .findFirst();
    }

    public boolean usesConsistentHash() {
        return loadBalancer != null && loadBalancer.consistentHash() != null;
    }
}
