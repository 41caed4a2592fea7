package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Configuration applied and deleted through weftd's API ({@code weft apply -f}, {@code weft delete -f}). */
public final class InMemoryConfigStore implements ConfigStore {

    private record Key(Kind kind, String namespace, String name) {
    }

    private final ConfigLoader loader;
    private final Map<Key, Resource<?>> resources = new LinkedHashMap<>();
    private volatile ConfigSnapshot snapshot = ConfigSnapshot.empty();
    private volatile List<ConfigError> errors = List.of();
    private final ListenerList listeners = new ListenerList();

    public InMemoryConfigStore(ConfigLoader loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    @Override
    public ConfigSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public List<ConfigError> errors() {
        return errors;
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    /** Creates or replaces every document in the YAML; all or nothing. */
    public ApplyResult apply(String yaml, String sourceName) {
        return change(yaml, sourceName, true);
    }

    /** Removes the resources the YAML names (kind, namespace, name); all or nothing. */
    public ApplyResult delete(String yaml, String sourceName) {
        return change(yaml, sourceName, false);
    }

    private ApplyResult change(String yaml, String sourceName, boolean apply) {
        LoadResult result = loader.loadString(yaml, sourceName);
        List<String> changed = new ArrayList<>();
        synchronized (this) {
            if (result.hasErrors()) {
                errors = result.errors();
                return new ApplyResult(List.of(), result.errors());
            }
            List<Resource<?>> documents = apply ? result.accepted() : result.resources();
            for (Resource<?> resource : documents) {
                Key key = new Key(resource.kind(), resource.namespace(), resource.name());
                if (apply) {
                    resources.put(key, resource);
                    changed.add(resource.displayName());
                } else if (resources.remove(key) != null) {
                    changed.add(resource.displayName());
                }
            }
            errors = List.of();
            snapshot = ConfigSnapshot.of(List.copyOf(resources.values()));
        }
        if (!changed.isEmpty()) {
            listeners.fire();
        }
        return new ApplyResult(changed, result.errors());
    }
}
