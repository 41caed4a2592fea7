package dev.weft.model;

/**
 * A finding about configuration: a parse failure, a schema violation or a broken Istio rule. Reads like
 * the Kubernetes API server and Istio's webhook, prefixed with where it happened:
 * {@code reviews.yaml:12: VirtualService default/reviews: spec.http[0].route[0].weight: weight must be >= 0}.
 *
 * @param resource {@link Resource#displayName()}, empty when the document could not be identified
 * @param path field path, empty for findings about a whole document or file
 */
public record ConfigError(
    Severity severity, String file, int line, String resource, String path, String message) {

  /** Longest path and message kept: a finding must not be as large as the input that caused it. */
  static final int MAX_TEXT = 2_000;

  public ConfigError {
    resource = EchoedValue.bounded(resource, MAX_TEXT);
    path = EchoedValue.bounded(path, MAX_TEXT);
    message = EchoedValue.bounded(message, MAX_TEXT);
  }

  /** The finding without its location: {@code spec.x: message}. */
  public String detail() {
    return path.isEmpty() ? message : path + ": " + message;
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append(file).append(':').append(line).append(": ");
    if (severity == Severity.WARNING) {
      text.append("warning: ");
    }
    if (!resource.isEmpty()) {
      text.append(resource).append(": ");
    }
    return text.append(detail()).toString();
  }
}
