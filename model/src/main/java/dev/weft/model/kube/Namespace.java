package dev.weft.model.kube;

/** Namespace (core/v1): labels live in metadata. */
public record Namespace(
    NamespaceSpec spec) {}
