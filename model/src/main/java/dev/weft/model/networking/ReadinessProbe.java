package dev.weft.model.networking;

/** Readiness probe of a WorkloadGroup; exactly one of httpGet, tcpSocket, exec, grpc. */
public record ReadinessProbe(
    int initialDelaySeconds,
    int timeoutSeconds,
    int periodSeconds,
    int successThreshold,
    int failureThreshold,
    HTTPHealthCheckConfig httpGet,
    TCPHealthCheckConfig tcpSocket,
    ExecHealthCheckConfig exec,
    GrpcHealthCheckConfig grpc) {}
