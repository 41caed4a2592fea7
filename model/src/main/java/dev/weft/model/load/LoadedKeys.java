package dev.weft.model.load;

import dev.weft.model.ConfigError;
import dev.weft.model.ResourceKey;
import java.util.List;

/**
 * What {@link ConfigLoader#loadKeys} read: the key of each document naming a kind Weft reads, and every finding.
 */
public record LoadedKeys(List<ResourceKey> keys, List<ConfigError> errors) {

  public LoadedKeys {
    keys = List.copyOf(keys);
    errors = List.copyOf(errors);
  }

  public boolean hasErrors() {
    return errors.stream().anyMatch(ConfigError::isError);
  }
}
