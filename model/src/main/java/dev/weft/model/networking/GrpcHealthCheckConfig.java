package dev.weft.model.networking;

/** gRPC health readiness check. */
public record GrpcHealthCheckConfig(
    int port,
    String service) {}
