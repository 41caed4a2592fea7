package dev.weft.model.kube;

import java.util.List;

/** Namespace spec (finalizers). */
public record NamespaceSpec(
    List<String> finalizers) {}
