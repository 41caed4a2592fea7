package dev.weft.model.networking;

/** A ServiceEntry port. */
public record ServicePort(
    int number,
    String protocol,
    String name,
    int targetPort) {}
