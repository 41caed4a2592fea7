package dev.weft.model.telemetry;

/** A constant tag value. */
public record LiteralTag(
    String value) {}
