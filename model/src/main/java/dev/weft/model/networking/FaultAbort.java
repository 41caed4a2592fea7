package dev.weft.model.networking;

/** Injected abort with an HTTP status or a gRPC status name. */
public record FaultAbort(
    int httpStatus,
    String grpcStatus,
    String http2Error,
    Percent percentage) {}
