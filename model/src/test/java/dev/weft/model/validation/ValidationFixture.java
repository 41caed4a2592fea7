package dev.weft.model.validation;

import dev.weft.model.ConfigError;
import dev.weft.model.Severity;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.util.List;

/** Loads one YAML text through the real loader and returns its findings as {@code path: message}. */
final class ValidationFixture {
  private static final ConfigLoader LOADER = new ConfigLoader();

  private ValidationFixture() {}

  static LoadResult load(String yaml) {
    return LOADER.loadString(yaml, "test.yaml");
  }

  static List<String> errors(String yaml) {
    return details(yaml, Severity.ERROR);
  }

  static List<String> warnings(String yaml) {
    return details(yaml, Severity.WARNING);
  }

  private static List<String> details(String yaml, Severity severity) {
    return load(yaml).errors().stream()
        .filter(error -> error.severity() == severity)
        .map(ConfigError::detail)
        .toList();
  }
}
