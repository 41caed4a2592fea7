package dev.weft.model.networking;

/** Policy for traffic to hosts unknown to the registry; an empty object means REGISTRY_ONLY. */
public record OutboundTrafficPolicy(
    OutboundTrafficMode mode,
    Destination egressProxy) {}
