package dev.weft.model.networking;

/** A sidecar listener port. */
public record SidecarPort(
    int number,
    String protocol,
    String name,
    int targetPort) {}
