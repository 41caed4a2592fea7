package dev.weft.model.telemetry;

/** Traffic direction an access log rule applies to. */
public record AccessLogSelector(
    WorkloadMode mode) {}
