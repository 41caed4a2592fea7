package dev.weft.model.analysis;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The namespaces a resource is visible in, from an {@code exportTo} list: empty or {@code *} means
 * everywhere, {@code .} the resource's own namespace, {@code ~} nowhere.
 */
record ExportScope(boolean everywhere, Set<String> namespaces) {

  static ExportScope of(List<String> exportTo, String ownNamespace) {
    if (exportTo.isEmpty() || exportTo.contains("*")) {
      return new ExportScope(true, Set.of());
    }
    Set<String> namespaces = new HashSet<>();
    for (String entry : exportTo) {
      switch (entry) {
        case "~" -> { }
        case "." -> namespaces.add(ownNamespace);
        default -> namespaces.add(entry);
      }
    }
    return new ExportScope(false, Set.copyOf(namespaces));
  }

  /** From the comma-separated {@code networking.istio.io/exportTo} annotation of a Kubernetes Service. */
  static ExportScope ofAnnotation(String annotation, String ownNamespace) {
    if (annotation == null || annotation.isBlank()) {
      return of(List.of(), ownNamespace);
    }
    return of(List.of(annotation.trim().split("\\s*,\\s*")), ownNamespace);
  }

  boolean visibleIn(String namespace) {
    return everywhere || namespaces.contains(namespace);
  }

  boolean overlaps(ExportScope other) {
    if (everywhere && other.everywhere) {
      return true;
    }
    if (everywhere) {
      return !other.namespaces.isEmpty();
    }
    if (other.everywhere) {
      return !namespaces.isEmpty();
    }
    return namespaces.stream().anyMatch(other.namespaces::contains);
  }
}
