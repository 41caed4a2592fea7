package dev.weft.model.validation;

import dev.weft.model.ConfigError;
import dev.weft.model.Resource;
import dev.weft.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects the findings about one resource, locating each by its field path. */
final class Findings {
  private final Resource<?> resource;
  private final List<ConfigError> errors = new ArrayList<>();

  Findings(Resource<?> resource) {
    this.resource = resource;
  }

  void error(String path, String message) {
    add(Severity.ERROR, path, message);
  }

  void warning(String path, String message) {
    add(Severity.WARNING, path, message);
  }

  /** Kubernetes wording for a missing field. */
  void required(String path) {
    error(path, "Required value");
  }

  /** Whether the field was written in the source (absent and empty look alike after binding). */
  boolean present(String path) {
    return resource.origin().has(path);
  }

  /** The scalar as written in the source, before normalisation. */
  Optional<String> textOf(String path) {
    return resource.origin().textOf(path);
  }

  String namespace() {
    return resource.namespace();
  }

  List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  private void add(Severity severity, String path, String message) {
    errors.add(new ConfigError(severity, resource.origin().file(), resource.origin().lineOf(path),
        resource.displayName(), path, message));
  }
}
