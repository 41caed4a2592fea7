package dev.weft.model;

/** What names a resource: its kind, namespace (empty for cluster-scoped kinds) and name. */
public record ResourceKey(Kind kind, String namespace, String name) {

  public static ResourceKey of(Resource<?> resource) {
    return new ResourceKey(resource.kind(), resource.namespace(), resource.name());
  }

  /** As {@link Resource#displayName()}. */
  public String displayName() {
    return Resource.displayName(kind, namespace, name);
  }
}
