package dev.weft.model.networking;

import java.util.Map;

/** A named subset of a service's endpoints, selected by labels. */
public record Subset(
    String name,
    Map<String, String> labels,
    TrafficPolicy trafficPolicy) {}
