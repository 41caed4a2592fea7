package dev.weft.model.kube;

import dev.weft.model.common.IntOrString;

/** A Service port; targetPort defaults to port when null. */
public record ServicePort(
    String name,
    int port,
    IntOrString targetPort,
    String protocol,
    String appProtocol,
    int nodePort) {}
