package dev.weft.model.networking;

import java.util.Map;

/** WorkloadEntry spec (also a ServiceEntry endpoint): one non-Kubernetes workload. */
public record WorkloadEntry(
    String address,
    Map<String, Integer> ports,
    Map<String, String> labels,
    String network,
    String locality,
    int weight,
    String serviceAccount) {}
