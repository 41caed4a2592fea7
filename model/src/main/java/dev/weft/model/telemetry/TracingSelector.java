package dev.weft.model.telemetry;

/** Traffic direction a tracing rule applies to. */
public record TracingSelector(
    WorkloadMode mode) {}
