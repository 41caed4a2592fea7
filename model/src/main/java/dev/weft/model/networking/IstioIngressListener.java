package dev.weft.model.networking;

/** Inbound listener of a sidecar. */
public record IstioIngressListener(
    SidecarPort port,
    String bind,
    CaptureMode captureMode,
    String defaultEndpoint,
    ServerTLSSettings tls,
    ConnectionPoolSettings connectionPool) {}
