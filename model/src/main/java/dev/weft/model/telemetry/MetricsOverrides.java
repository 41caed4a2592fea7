package dev.weft.model.telemetry;

import java.util.Map;

/** Overrides for the selected metrics. */
public record MetricsOverrides(
    MetricSelector match,
    Boolean disabled,
    Map<String, TagOverride> tagOverrides) {}
