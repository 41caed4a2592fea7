package dev.weft.model.kube;

/** A declared container port. */
public record ContainerPort(
    String name,
    int containerPort,
    String protocol) {}
