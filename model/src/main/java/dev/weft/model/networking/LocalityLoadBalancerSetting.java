package dev.weft.model.networking;

import java.util.List;

/** Locality weighted load balancing and failover. */
public record LocalityLoadBalancerSetting(
    List<LocalityDistribute> distribute,
    List<LocalityFailover> failover,
    List<String> failoverPriority,
    Boolean enabled) {}
