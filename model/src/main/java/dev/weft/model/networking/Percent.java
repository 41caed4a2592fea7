package dev.weft.model.networking;

/** A percentage from 0 to 100. */
public record Percent(
    double value) {}
