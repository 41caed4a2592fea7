package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import java.util.List;

/** What an apply or delete did: the resources it touched ("VirtualService default/reviews"), or why it did nothing. */
public record ApplyResult(List<String> changed, List<ConfigError> errors) {

    public ApplyResult {
        changed = List.copyOf(changed);
        errors = List.copyOf(errors);
    }

    public boolean accepted() {
        return errors.stream().noneMatch(ConfigError::isError);
    }
}
