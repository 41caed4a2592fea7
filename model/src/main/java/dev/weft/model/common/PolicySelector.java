package dev.weft.model.common;

import java.util.Map;

/** Label selector of security and telemetry policies (type.v1beta1.WorkloadSelector); empty matches every workload in scope. */
public record PolicySelector(
    Map<String, String> matchLabels) {}
