package dev.weft.model.networking;

/** Maglev algorithm settings. */
public record MagLev(
    long tableSize) {}
