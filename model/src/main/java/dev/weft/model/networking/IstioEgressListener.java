package dev.weft.model.networking;

import java.util.List;

/** Outbound listener of a sidecar and the hosts it may reach (ns/dnsName). */
public record IstioEgressListener(
    SidecarPort port,
    String bind,
    CaptureMode captureMode,
    List<String> hosts) {}
