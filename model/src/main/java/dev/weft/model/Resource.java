package dev.weft.model;

/**
 * One loaded document: its kind, the apiVersion as written, metadata, the typed body and where it came
 * from. Immutable.
 *
 * @param <S> the body record type, {@link Kind#specType()}
 */
public record Resource<S extends Record>(
    Kind kind, String apiVersion, ObjectMeta metadata, S spec, Origin origin) {

  public String name() {
    return metadata.name();
  }

  public String namespace() {
    return metadata.namespace();
  }

  /**
   * Whether {@code metadata.namespace} was written in the source; when not, {@link #namespace()} is the
   * loader's default namespace (Istio's analyzer messages omit the namespace in that case).
   */
  public boolean hasExplicitNamespace() {
    return origin.has("metadata.namespace");
  }

  /** Istio's way of naming a resource in messages: {@code VirtualService default/reviews}. */
  public String displayName() {
    return displayName(kind, metadata.namespace(), metadata.name());
  }

  /** The display name of a resource of that kind, namespace and name; an overlong name is cut. */
  public static String displayName(Kind kind, String namespace, String name) {
    return kind.isNamespaced()
        ? kind.kindName() + " " + EchoedValue.of(namespace) + "/" + EchoedValue.of(name)
        : kind.kindName() + " " + EchoedValue.of(name);
  }

  /** This resource with its body type checked, for callers that hold a {@code Resource<?>}. */
  @SuppressWarnings("unchecked")
  public <T extends Record> Resource<T> as(Class<T> type) {
    if (!type.isInstance(spec)) {
      throw new IllegalArgumentException(displayName() + " has no " + type.getSimpleName() + " body");
    }
    return (Resource<T>) this;
  }
}
