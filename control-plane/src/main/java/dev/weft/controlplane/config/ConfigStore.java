package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import java.util.List;

/**
 * A source of mesh configuration. {@link #snapshot()} is the last good config: a rejected change never
 * replaces it, and its findings stay visible in {@link #errors()} until a good change arrives.
 */
public interface ConfigStore {

    ConfigSnapshot snapshot();

    /** Findings of the last rejected change (empty when the last change was accepted). */
    List<ConfigError> errors();

    /** Called after every accepted change, on the thread that made it. */
    void addListener(Runnable onChange);
}
