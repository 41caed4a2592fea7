package dev.weft.proxy.tcp;

import dev.weft.proxy.router.ClusterSpecifier;
import java.time.Duration;

/** A validated tcp_proxy: which cluster(s), how long a quiet connection lives, and its stat prefix. */
public record TcpProxyConfig(String statPrefix, ClusterSpecifier clusters, Duration idleTimeout, int maxConnectAttempts,
        TcpProxyStats stats) {
}
