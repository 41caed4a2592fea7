package dev.weft.model.validation;

import dev.weft.model.ConfigError;
import dev.weft.model.Resource;
import dev.weft.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects the findings about one resource, locating each by its field path. */
final class Findings {
  private static final int MAX_FINDINGS = 100;

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

  /** A screenful of findings is enough; hostile input must not turn into millions of them. */
  private void add(Severity severity, String path, String message) {
    if (errors.size() > MAX_FINDINGS) {
      return;
    }
    if (errors.size() == MAX_FINDINGS) {
      errors.add(new ConfigError(Severity.ERROR, resource.origin().file(), resource.origin().line(),
          resource.displayName(), "", "too many problems in this resource: stopped after " + MAX_FINDINGS));
      return;
    }
    errors.add(new ConfigError(severity, resource.origin().file(), resource.origin().lineOf(path),
        resource.displayName(), path, message));
  }
}
