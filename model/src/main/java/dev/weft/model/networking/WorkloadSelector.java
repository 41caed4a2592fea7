package dev.weft.model.networking;

import java.util.Map;

/** Label selector of ServiceEntry and Sidecar ({@code labels}), in the resource's namespace. */
public record WorkloadSelector(
    Map<String, String> labels) {}
