package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import java.util.List;

/** No configuration, never changing: what weftd serves beneath applied config when it watches no directory. */
public enum EmptyConfigStore implements ConfigStore {
    INSTANCE;

    private static final ConfigSnapshot EMPTY = ConfigSnapshot.empty();

    @Override
    public ConfigSnapshot snapshot() {
        return EMPTY;
    }

    @Override
    public List<ConfigError> errors() {
        return List.of();
    }

    @Override
    public void addListener(Runnable onChange) {
    }
}
