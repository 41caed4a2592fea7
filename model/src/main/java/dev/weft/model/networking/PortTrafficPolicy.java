package dev.weft.model.networking;

/** Per-port policy; replaces the destination-level fields wholesale for that port. */
public record PortTrafficPolicy(
    PortSelector port,
    LoadBalancerSettings loadBalancer,
    ConnectionPoolSettings connectionPool,
    OutlierDetection outlierDetection,
    ClientTLSSettings tls) {}
