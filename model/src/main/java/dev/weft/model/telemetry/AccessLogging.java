package dev.weft.model.telemetry;

import java.util.List;

/** Access logging configuration. */
public record AccessLogging(
    AccessLogSelector match,
    List<ProviderRef> providers,
    Boolean disabled,
    AccessLogFilter filter) {}
