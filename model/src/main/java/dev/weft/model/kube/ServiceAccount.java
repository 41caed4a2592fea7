package dev.weft.model.kube;

/** ServiceAccount (core/v1): only the identity matters to the mesh, carried by metadata. */
public record ServiceAccount(
    Boolean automountServiceAccountToken) {}
