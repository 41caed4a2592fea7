package dev.weft.model.telemetry;

/** A tag taken from an environment variable. */
public record EnvironmentTag(
    String name,
    String defaultValue) {}
