package dev.weft.model.load;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import java.util.List;

/**
 * What a load produced.
 *
 * @param resources every document that bound to its typed record, in load order (files sorted), including
 *     those with validation errors (analyzers still look at them)
 * @param accepted the resources without any {@link dev.weft.model.Severity#ERROR} finding
 * @param errors every finding, errors and warnings, in load order
 */
public record LoadResult(List<Resource<?>> resources, List<Resource<?>> accepted, List<ConfigError> errors) {

  public LoadResult {
    resources = List.copyOf(resources);
    accepted = List.copyOf(accepted);
    errors = List.copyOf(errors);
  }

  public boolean hasErrors() {
    return errors.stream().anyMatch(ConfigError::isError);
  }

  /** An indexed snapshot of the accepted resources. */
  public ConfigSnapshot snapshot() {
    return ConfigSnapshot.of(accepted);
  }
}
