package dev.weft.proxy.tcp;

import dev.weft.proxy.accesslog.AccessLogCompiler;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.router.ClusterSpecifier;
import dev.weft.proxy.router.HeaderMutation;
import dev.weft.proxy.stats.Stats;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Compiles a {@link TcpProxy} into a {@link TcpProxyConfig}, or throws. */
public final class TcpProxyCompiler {

    private TcpProxyCompiler() {
    }

    public static TcpProxyConfig compile(TcpProxy p, Stats stats, AccessLogCompiler accessLogs) {
        if (p.getStatPrefix().isEmpty()) {
            throw new ConfigException("tcp_proxy needs a stat_prefix");
        }
        ClusterSpecifier clusters = switch (p.getClusterSpecifierCase()) {
            case CLUSTER -> new ClusterSpecifier.Single(p.getCluster());
            case WEIGHTED_CLUSTERS -> {
                List<ClusterSpecifier.WeightedTarget> targets = new ArrayList<>();
                for (var c : p.getWeightedClusters().getClustersList()) {
                    if (c.getWeight() > 0) {
                        targets.add(new ClusterSpecifier.WeightedTarget(c.getName(), c.getWeight(),
                                HeaderMutation.NONE, HeaderMutation.NONE));
                    }
                }
                if (targets.isEmpty()) {
                    throw new ConfigException("tcp_proxy weighted_clusters must have a total weight greater than zero");
                }
                yield ClusterSpecifier.Weighted.of(targets);
            }
            default -> throw new ConfigException("tcp_proxy needs cluster or weighted_clusters");
        };
        Duration idle = p.hasIdleTimeout() ? Durations.of(p.getIdleTimeout()) : Duration.ofHours(1);
        int attempts = p.hasMaxConnectAttempts() ? p.getMaxConnectAttempts().getValue() : 1;
        return new TcpProxyConfig(p.getStatPrefix(), clusters, idle, Math.max(1, attempts),
                new TcpProxyStats(stats, p.getStatPrefix()), accessLogs.compile(p.getAccessLogList()));
    }
}
