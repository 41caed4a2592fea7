package dev.weft.model.telemetry;

import java.time.Duration;
import java.util.List;

/** Metrics configuration. */
public record Metrics(
    List<ProviderRef> providers,
    List<MetricsOverrides> overrides,
    Duration reportingInterval) {}
