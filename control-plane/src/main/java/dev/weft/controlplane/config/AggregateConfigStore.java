package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import java.util.ArrayList;
import java.util.List;

/** Several stores seen as one; for the same kind, namespace and name a later store wins. */
public final class AggregateConfigStore implements ConfigStore {

    private final List<ConfigStore> stores;

    public AggregateConfigStore(List<ConfigStore> stores) {
        this.stores = List.copyOf(stores);
    }

    @Override
    public ConfigSnapshot snapshot() {
        List<Resource<?>> all = new ArrayList<>();
        stores.forEach(s -> all.addAll(s.snapshot().all()));
        return ConfigSnapshot.of(all);
    }

    @Override
    public List<ConfigError> errors() {
        List<ConfigError> all = new ArrayList<>();
        stores.forEach(s -> all.addAll(s.errors()));
        return all;
    }

    @Override
    public void addListener(Runnable onChange) {
        stores.forEach(s -> s.addListener(onChange));
    }
}
