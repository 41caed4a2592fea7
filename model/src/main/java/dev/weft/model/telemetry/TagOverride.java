package dev.weft.model.telemetry;

/** Upsert or removal of one metric tag. */
public record TagOverride(
    TagOperation operation,
    String value) {}
