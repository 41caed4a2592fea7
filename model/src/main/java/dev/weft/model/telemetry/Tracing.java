package dev.weft.model.telemetry;

import java.util.List;
import java.util.Map;

/** Tracing configuration. */
public record Tracing(
    TracingSelector match,
    List<ProviderRef> providers,
    Double randomSamplingPercentage,
    Boolean disableSpanReporting,
    Boolean disableContextPropagation,
    Map<String, CustomTag> customTags,
    Boolean useRequestIdForTraceSampling,
    Boolean enableIstioTags) {}
