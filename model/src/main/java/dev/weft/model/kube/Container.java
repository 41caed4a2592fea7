package dev.weft.model.kube;

import java.util.List;

/** A container and its declared ports. */
public record Container(
    String name,
    String image,
    List<ContainerPort> ports) {}
