package dev.weft.model.common;

/** A Kubernetes int-or-string value such as a Service targetPort: exactly one member is non-null. */
public record IntOrString(
    Integer number,
    String name) {}
