package dev.weft.model.networking;

/** WorkloadGroup spec: template for auto-registered WorkloadEntries. */
public record WorkloadGroup(
    WorkloadGroupMetadata metadata,
    WorkloadEntry template,
    ReadinessProbe probe) {}
