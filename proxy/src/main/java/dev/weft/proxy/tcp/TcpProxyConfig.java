package dev.weft.proxy.tcp;

import dev.weft.proxy.accesslog.AccessLogger;
import dev.weft.proxy.router.ClusterSpecifier;
import java.time.Duration;
import java.util.List;

/**
 * A validated tcp_proxy: which cluster(s), how long a quiet connection lives, its stat prefix, and where each
 * closed connection is logged.
 */
public record TcpProxyConfig(String statPrefix, ClusterSpecifier clusters, Duration idleTimeout, int maxConnectAttempts,
        TcpProxyStats stats, List<AccessLogger> accessLogs) {

    public TcpProxyConfig {
        accessLogs = List.copyOf(accessLogs);
    }
}
