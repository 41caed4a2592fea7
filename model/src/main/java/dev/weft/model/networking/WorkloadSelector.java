package dev.weft.model.networking;

import java.util.Map;

/** Label selector of networking resources (DestinationRule, ServiceEntry, Sidecar), in the resource's namespace. */
public record WorkloadSelector(
    Map<String, String> labels) {}
