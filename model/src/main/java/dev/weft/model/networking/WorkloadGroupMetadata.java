package dev.weft.model.networking;

import java.util.Map;

/** Labels and annotations copied onto generated WorkloadEntries. */
public record WorkloadGroupMetadata(
    Map<String, String> labels,
    Map<String, String> annotations) {}
