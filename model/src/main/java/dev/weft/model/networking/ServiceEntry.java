package dev.weft.model.networking;

import java.util.List;

/** ServiceEntry spec: adds a service to the mesh's registry. */
public record ServiceEntry(
    List<String> hosts,
    List<String> addresses,
    List<ServicePort> ports,
    Location location,
    Resolution resolution,
    List<WorkloadEntry> endpoints,
    WorkloadSelector workloadSelector,
    List<String> exportTo,
    List<String> subjectAltNames) {}
