package dev.weft.model.networking;

/** Ring hash algorithm settings. */
public record RingHash(
    long minimumRingSize) {}
