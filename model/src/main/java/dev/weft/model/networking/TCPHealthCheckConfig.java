package dev.weft.model.networking;

/** TCP connect readiness check. */
public record TCPHealthCheckConfig(
    String host,
    int port) {}
