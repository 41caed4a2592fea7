package dev.weft.model.common;

/** Reference to the resource a policy attaches to (Gateway, GatewayClass, Service, ServiceEntry). */
public record PolicyTargetReference(
    String group,
    String kind,
    String name,
    String namespace) {}
