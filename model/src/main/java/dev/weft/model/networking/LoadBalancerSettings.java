package dev.weft.model.networking;

import java.time.Duration;

/** Load balancing: simple and consistentHash are a oneof. */
public record LoadBalancerSettings(
    SimpleLB simple,
    ConsistentHashLB consistentHash,
    LocalityLoadBalancerSetting localityLbSetting,
    Duration warmupDurationSecs,
    WarmupConfiguration warmup,
    ZoneAwareLoadBalancerSetting zoneAwareLbSetting) {}
