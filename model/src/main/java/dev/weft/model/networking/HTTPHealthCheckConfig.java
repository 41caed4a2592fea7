package dev.weft.model.networking;

import java.util.List;

/** HTTP GET readiness check. */
public record HTTPHealthCheckConfig(
    String path,
    int port,
    String host,
    String scheme,
    List<HTTPHeader> httpHeaders) {}
