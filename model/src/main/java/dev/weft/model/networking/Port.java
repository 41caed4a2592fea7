package dev.weft.model.networking;

/** A gateway server port. */
public record Port(
    int number,
    String protocol,
    String name,
    int targetPort) {}
