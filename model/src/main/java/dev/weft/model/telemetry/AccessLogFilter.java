package dev.weft.model.telemetry;

/** CEL filter deciding which requests are logged. */
public record AccessLogFilter(
    String expression) {}
