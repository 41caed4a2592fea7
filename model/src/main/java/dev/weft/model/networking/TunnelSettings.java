package dev.weft.model.networking;

/** Tunnel (HTTP CONNECT) settings for outbound traffic. */
public record TunnelSettings(
    String protocol,
    String targetHost,
    int targetPort) {}
