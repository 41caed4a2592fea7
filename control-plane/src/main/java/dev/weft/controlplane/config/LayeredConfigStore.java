package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * Several stores seen as one (a watched directory and a Kubernetes cluster): a later layer's resource replaces an
 * earlier layer's of the same kind, namespace and name. Each layer keeps its own last good config, so a rejected
 * change in one leaves the others serving.
 */
public final class LayeredConfigStore implements ConfigStore {

    /** The merged snapshot and the layers' snapshots it was made from, swapped together. */
    private record Merged(List<ConfigSnapshot> layers, ConfigSnapshot snapshot) {
    }

    private final List<ConfigStore> layers;
    private volatile Merged merged = new Merged(List.of(), ConfigSnapshot.empty());

    public LayeredConfigStore(List<ConfigStore> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public ConfigSnapshot snapshot() {
        List<ConfigSnapshot> current = layers.stream().map(ConfigStore::snapshot).toList();
        Merged last = merged;
        if (sameInstances(last.layers(), current)) {
            return last.snapshot();
        }
        List<Resource<?>> all = new ArrayList<>();
        current.forEach(layer -> all.addAll(layer.all()));
        Merged next = new Merged(current, ConfigSnapshot.of(all));
        merged = next;
        return next.snapshot();
    }

    private static boolean sameInstances(List<ConfigSnapshot> a, List<ConfigSnapshot> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<ConfigError> errors() {
        return layers.stream().flatMap(layer -> layer.errors().stream()).toList();
    }

    @Override
    public void addListener(Runnable onChange) {
        layers.forEach(layer -> layer.addListener(onChange));
    }
}
