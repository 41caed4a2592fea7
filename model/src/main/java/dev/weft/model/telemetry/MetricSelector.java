package dev.weft.model.telemetry;

/** Which metric and direction an override applies to. */
public record MetricSelector(
    IstioMetric metric,
    String customMetric,
    WorkloadMode mode) {}
