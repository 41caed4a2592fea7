package dev.weft.model.networking;

import java.util.List;

/** Sidecar spec: scopes the listeners and reachable hosts of selected proxies. */
public record Sidecar(
    WorkloadSelector workloadSelector,
    List<IstioIngressListener> ingress,
    List<IstioEgressListener> egress,
    ConnectionPoolSettings inboundConnectionPool,
    OutboundTrafficPolicy outboundTrafficPolicy) {}
