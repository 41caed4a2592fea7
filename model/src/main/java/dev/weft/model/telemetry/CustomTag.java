package dev.weft.model.telemetry;

/** A span tag: exactly one of literal, environment, header. */
public record CustomTag(
    LiteralTag literal,
    EnvironmentTag environment,
    RequestHeaderTag header) {}
