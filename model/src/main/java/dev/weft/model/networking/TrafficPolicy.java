package dev.weft.model.networking;

import java.util.List;

/** Traffic policy of a destination, a port or a subset. */
public record TrafficPolicy(
    LoadBalancerSettings loadBalancer,
    ConnectionPoolSettings connectionPool,
    OutlierDetection outlierDetection,
    ClientTLSSettings tls,
    List<PortTrafficPolicy> portLevelSettings,
    TunnelSettings tunnel,
    ProxyProtocol proxyProtocol,
    RetryBudget retryBudget) {}
