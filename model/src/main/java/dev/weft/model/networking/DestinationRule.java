package dev.weft.model.networking;

import dev.weft.model.FqdnHost;
import dev.weft.model.common.PolicySelector;
import java.util.List;

/**
 * DestinationRule spec: policies applied after routing, for one host (FQDN after loading). Its
 * workloadSelector is Istio's type.v1beta1 selector ({@code matchLabels}), unlike Sidecar's and
 * ServiceEntry's ({@code labels}).
 */
public record DestinationRule(
    @FqdnHost String host,
    TrafficPolicy trafficPolicy,
    List<Subset> subsets,
    List<String> exportTo,
    PolicySelector workloadSelector) {}
