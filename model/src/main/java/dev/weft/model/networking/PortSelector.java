package dev.weft.model.networking;

/** A destination port number. */
public record PortSelector(
    int number) {}
