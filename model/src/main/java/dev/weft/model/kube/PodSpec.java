package dev.weft.model.kube;

import java.util.List;

/** Pod spec (core/v1) as far as the mesh needs it. */
public record PodSpec(
    String serviceAccountName,
    String serviceAccount,
    List<Container> containers,
    List<Container> initContainers) {}
