package dev.weft.proxy.snapshot;

import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.upstream.ClusterSnapshot;
import dev.weft.proxy.upstream.UpstreamCluster;
import java.util.Map;

/**
 * The clusters and RDS route tables in force. Immutable; replaced as a whole by one atomic swap. A request reads
 * the snapshot once at its start and keeps it, so a config change never splits a request between two configs.
 */
public record ProxySnapshot(long version, Map<String, UpstreamCluster> clusters, Map<String, RouteTable> routes)
        implements ClusterSnapshot {

    public static final ProxySnapshot EMPTY = new ProxySnapshot(0, Map.of(), Map.of());

    public ProxySnapshot {
        clusters = Map.copyOf(clusters);
        routes = Map.copyOf(routes);
    }
}
