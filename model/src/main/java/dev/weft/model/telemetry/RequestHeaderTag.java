package dev.weft.model.telemetry;

/** A tag taken from a request header. */
public record RequestHeaderTag(
    String name,
    String defaultValue) {}
