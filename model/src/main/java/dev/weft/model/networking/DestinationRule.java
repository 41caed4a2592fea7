package dev.weft.model.networking;

import dev.weft.model.FqdnHost;
import java.util.List;

/** DestinationRule spec: policies applied after routing, for one host (FQDN after loading). */
public record DestinationRule(
    @FqdnHost String host,
    TrafficPolicy trafficPolicy,
    List<Subset> subsets,
    List<String> exportTo,
    WorkloadSelector workloadSelector) {}
