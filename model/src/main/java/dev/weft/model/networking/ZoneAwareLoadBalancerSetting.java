package dev.weft.model.networking;

import java.util.List;

/** Zone-aware load balancing by Envoy; mutually exclusive with localityLbSetting. */
public record ZoneAwareLoadBalancerSetting(
    Boolean enabled,
    List<LocalityFailover> failover,
    List<String> failoverPriority,
    Integer minClusterSize) {}
