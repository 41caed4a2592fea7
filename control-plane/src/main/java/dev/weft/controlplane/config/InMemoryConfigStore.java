package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration applied and deleted through weftd's API ({@code weft apply -f}, {@code weft delete -f}), laid
 * over the config beneath it (the watched directory): an applied resource replaces the directory's of the same
 * kind, namespace and name, and deleting a resource the directory holds hides it until it is applied again,
 * as {@code kubectl delete} removes an object whatever created it.
 */
public final class InMemoryConfigStore implements ConfigStore {

    private record Key(Kind kind, String namespace, String name) {

        static Key of(Resource<?> resource) {
            return new Key(resource.kind(), resource.namespace(), resource.name());
        }
    }

    /** The merged view and the snapshot beneath it was made from, swapped together. */
    private record View(ConfigSnapshot beneath, ConfigSnapshot merged) {
    }

    private final ConfigLoader loader;
    private final ConfigStore beneath;
    private final Map<Key, Resource<?>> applied = new LinkedHashMap<>();
    private final Set<Key> hidden = new HashSet<>();
    private volatile View view;
    private volatile List<ConfigError> errors = List.of();
    private final ListenerList listeners = new ListenerList();

    /** A store with nothing beneath it. */
    public InMemoryConfigStore(ConfigLoader loader) {
        this(loader, EmptyConfigStore.INSTANCE);
    }

    public InMemoryConfigStore(ConfigLoader loader, ConfigStore beneath) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.beneath = Objects.requireNonNull(beneath, "beneath");
        this.view = new View(null, ConfigSnapshot.empty());
        beneath.addListener(listeners::fire);
    }

    @Override
    public ConfigSnapshot snapshot() {
        View current = view;
        ConfigSnapshot below = beneath.snapshot();
        if (current.beneath() == below) {
            return current.merged();
        }
        synchronized (this) {
            return remerge(below);
        }
    }

    @Override
    public List<ConfigError> errors() {
        List<ConfigError> all = new ArrayList<>(beneath.errors());
        all.addAll(errors);
        return all;
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    /** Creates or replaces every document in the YAML; all or nothing. */
    public ApplyResult apply(String yaml, String sourceName) {
        return change(yaml, sourceName, true);
    }

    /** Removes the resources the YAML names (kind, namespace, name), wherever they came from; all or nothing. */
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
            ConfigSnapshot below = beneath.snapshot();
            for (Resource<?> resource : apply ? result.accepted() : result.resources()) {
                Key key = Key.of(resource);
                if (apply) {
                    applied.put(key, resource);
                    hidden.remove(key);
                    changed.add(resource.displayName());
                } else {
                    boolean wasApplied = applied.remove(key) != null;
                    boolean hidesBeneath = below.find(key.kind(), key.namespace(), key.name()).isPresent()
                            && hidden.add(key);
                    if (wasApplied || hidesBeneath) {
                        changed.add(resource.displayName());
                    }
                }
            }
            errors = List.of();
            remerge(below);
        }
        if (!changed.isEmpty()) {
            listeners.fire();
        }
        return new ApplyResult(changed, result.errors());
    }

    private ConfigSnapshot remerge(ConfigSnapshot below) {
        Map<Key, Resource<?>> merged = new LinkedHashMap<>();
        for (Resource<?> resource : below.all()) {
            Key key = Key.of(resource);
            if (!hidden.contains(key)) {
                merged.put(key, resource);
            }
        }
        merged.putAll(applied);
        ConfigSnapshot snapshot = ConfigSnapshot.of(List.copyOf(merged.values()));
        view = new View(below, snapshot);
        return snapshot;
    }
}
