package dev.weft.model;

import java.time.Instant;
import java.util.Map;

/**
 * The Kubernetes object metadata the mesh uses. {@code namespace} is never empty after loading (the
 * loader's default namespace fills it in for namespaced kinds); {@code creationTimestamp} is null when
 * absent.
 */
public record ObjectMeta(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant creationTimestamp) {}
