package dev.weft.model.telemetry;

/** Reference to an extension provider by name. */
public record ProviderRef(
    String name) {}
