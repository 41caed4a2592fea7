package dev.weft.model.analysis;

/**
 * One analyzer finding, printed as istioctl does plus where it came from:
 * {@code Error [IST0101] (VirtualService default/reviews file.yaml:12) Referenced host not found: "ratings"}.
 *
 * @param level the type's level, unless an analyzer knows the finding to be less severe than usual
 * @param resource the resource's display name ({@code Kind namespace/name}), empty for a file-level finding
 * @param namespace the resource's namespace, empty for cluster-scoped resources and file-level findings
 * @param line the line the finding points at, 0 when unknown
 */
public record Message(
    MessageType type, Level level, String resource, String namespace, String file, int line, String text) {

  /** {@code file.yaml:12}, or just the file when the line is unknown. */
  public String location() {
    return line > 0 ? file + ":" + line : file;
  }

  @Override
  public String toString() {
    String origin = resource.isEmpty() ? location() : resource + " " + location();
    return level().displayName() + " [" + type.code() + "] (" + origin + ") " + text;
  }
}
