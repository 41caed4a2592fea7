package dev.weft.model.telemetry;

import dev.weft.model.common.PolicySelector;
import dev.weft.model.common.PolicyTargetReference;
import java.util.List;

/** Telemetry spec: tracing, metrics and access logging for selected workloads. */
public record Telemetry(
    PolicySelector selector,
    PolicyTargetReference targetRef,
    List<PolicyTargetReference> targetRefs,
    List<Tracing> tracing,
    List<Metrics> metrics,
    List<AccessLogging> accessLogging) {}
