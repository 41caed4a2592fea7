package dev.weft.controlplane.config;

import dev.weft.controlplane.config.AppliedConfigFile.AppliedEntry;
import dev.weft.controlplane.config.AppliedConfigFile.Body;
import dev.weft.controlplane.config.AppliedConfigFile.Saved;
import dev.weft.controlplane.config.AppliedConfigFile.StoredKey;
import dev.weft.controlplane.config.ApplyResult.Action;
import dev.weft.controlplane.config.ApplyResult.Outcome;
import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.ResourceKey;
import dev.weft.model.Severity;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.model.load.LoadedKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Configuration applied and deleted through weftd's API ({@code weft apply -f}, {@code weft delete -f}), laid
 * over the config beneath it (the watched directory): an applied resource replaces the directory's of the same
 * kind, namespace and name, and deleting a resource the directory holds hides it until it is applied again,
 * as {@code kubectl delete} removes an object whatever created it. With an {@link AppliedConfigFile}, every
 * change is saved before it takes effect (a change that cannot be saved is refused), and a new store starts
 * from what was saved: a restarted weftd serves what it served before.
 */
public final class AppliedConfigStore implements ConfigStore {

    private static final Logger LOG = Logger.getLogger(AppliedConfigStore.class.getName());
    /**
     * The YAML that applies may keep in force altogether: two of the largest applies weftd takes (3 MiB each). A
     * loaded resource costs about nine times its text, so this keeps applied config within half of a 128 MB heap.
     */
    public static final long MAX_APPLIED_CHARS = 6L * 1024 * 1024;

    private static ResourceKey keyOf(StoredKey stored) {
        return new ResourceKey(Kind.valueOf(stored.kind()), stored.namespace(), stored.name());
    }

    private static StoredKey stored(ResourceKey key) {
        return new StoredKey(key.kind().name(), key.namespace(), key.name());
    }

    /** An applied resource and the body it came from (kept while any of its resources is in force). */
    private record Applied(Resource<?> resource, long body) {
    }

    /** Everything applied and hidden; replaced whole by each change, after it was saved. */
    private record Overlay(
            Map<ResourceKey, Applied> applied, Set<ResourceKey> hidden, Map<Long, Body> bodies, long nextBody) {

        static final Overlay EMPTY = new Overlay(Map.of(), Set.of(), Map.of(), 1);

        Saved saved() {
            return new Saved(bodies, applied.entrySet().stream()
                    .map(e -> new AppliedEntry(stored(e.getKey()), e.getValue().body())).toList(),
                    hidden.stream().map(AppliedConfigStore::stored).toList());
        }
    }

    /** The merged view and the snapshot beneath it was made from, swapped together. */
    private record View(ConfigSnapshot beneath, ConfigSnapshot merged) {
    }

    private final ConfigLoader loader;
    private final ConfigStore beneath;
    private final Optional<AppliedConfigFile> file;
    private final ValidationObserver validations;
    private Overlay overlay = Overlay.EMPTY;
    private volatile View view;
    private volatile List<ConfigError> errors = List.of();
    private final ListenerList listeners = new ListenerList();

    /** A store with nothing beneath it, kept in memory only. */
    public AppliedConfigStore(ConfigLoader loader) {
        this(loader, EmptyConfigStore.INSTANCE, Optional.empty());
    }

    /**
     * A store over {@code beneath}, saving every change to {@code file} when given and starting from what it holds.
     *
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    public AppliedConfigStore(ConfigLoader loader, ConfigStore beneath, Optional<AppliedConfigFile> file) {
        this(loader, beneath, file, ValidationObserver.NONE);
    }

    /**
     * As above; {@code validations} is told of every apply's load, accepted or not (not of what a restart loads
     * again, nor of deletes, which read only names).
     */
    public AppliedConfigStore(ConfigLoader loader, ConfigStore beneath, Optional<AppliedConfigFile> file,
            ValidationObserver validations) {
        this.validations = Objects.requireNonNull(validations, "validations");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.beneath = Objects.requireNonNull(beneath, "beneath");
        this.file = Objects.requireNonNull(file, "file");
        this.view = new View(null, ConfigSnapshot.empty());
        file.ifPresent(this::restore);
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
        return apply(List.of(new Body(sourceName, yaml)));
    }

    /**
     * Creates or replaces every document of every file, all or nothing; each file's resources and messages carry its
     * name. A resource equal to the one in force (metadata and spec) is left as it is, reported unchanged.
     */
    public ApplyResult apply(List<Body> files) {
        List<LoadResult> loads = files.stream().map(f -> loader.loadString(f.yaml(), f.source())).toList();
        loads.forEach(validations::validated);
        List<ConfigError> loadErrors = loads.stream().flatMap(l -> l.errors().stream()).toList();
        return change(loadErrors, label(files), draft -> {
            for (int i = 0; i < files.size(); i++) {
                long body = draft.keep(files.get(i));
                for (Resource<?> resource : loads.get(i).accepted()) {
                    ResourceKey key = ResourceKey.of(resource);
                    Optional<Resource<?>> current = draft.inForce(key);
                    Action action = current.isEmpty() ? Action.CREATED
                            : sameContent(current.get(), resource) ? Action.UNCHANGED : Action.CONFIGURED;
                    if (action != Action.UNCHANGED) {
                        draft.applied.put(key, new Applied(resource, body));
                        draft.hidden.remove(key);
                    }
                    draft.outcomes.add(new Outcome(resource.displayName(), action, files.get(i).source()));
                }
            }
        });
    }

    /** Removes the resources the YAML names; as {@link #delete(List)}. */
    public ApplyResult delete(String yaml, String sourceName) {
        return delete(List.of(new Body(sourceName, yaml)));
    }

    /**
     * Removes the resources the files name (kind, namespace, name), wherever they came from; all or nothing. Only
     * each document's kind and metadata are read, as {@code kubectl delete -f} does. A resource that is not there is
     * reported as not found.
     */
    public ApplyResult delete(List<Body> files) {
        List<LoadedKeys> loads = files.stream().map(f -> loader.loadKeys(f.yaml(), f.source())).toList();
        List<ConfigError> loadErrors = loads.stream().flatMap(l -> l.errors().stream()).toList();
        return change(loadErrors, label(files), draft -> {
            for (int i = 0; i < files.size(); i++) {
                for (ResourceKey key : loads.get(i).keys()) {
                    boolean wasApplied = draft.applied.remove(key) != null;
                    boolean hidesBeneath = draft.below.find(key.kind(), key.namespace(), key.name()).isPresent()
                            && draft.hidden.add(key);
                    draft.outcomes.add(new Outcome(key.displayName(),
                            wasApplied || hidesBeneath ? Action.DELETED : Action.NOT_FOUND, files.get(i).source()));
                }
            }
        });
    }

    private static String label(List<Body> files) {
        return files.isEmpty() ? "<apply>" : files.getFirst().source();
    }

    /** Whether applying {@code next} over {@code current} would change nothing a proxy or a reader sees. */
    private static boolean sameContent(Resource<?> current, Resource<?> next) {
        return current.metadata().equals(next.metadata()) && current.spec().equals(next.spec());
    }

    /** The overlay one change builds from the one in force, and what it did to each resource it named. */
    private final class Draft {
        final ConfigSnapshot below;
        final Map<ResourceKey, Applied> applied = new LinkedHashMap<>(overlay.applied());
        final Set<ResourceKey> hidden = new LinkedHashSet<>(overlay.hidden());
        final Map<Long, Body> bodies = new HashMap<>(overlay.bodies());
        final List<Outcome> outcomes = new ArrayList<>();
        long nextBody = overlay.nextBody();

        Draft(ConfigSnapshot below) {
            this.below = below;
        }

        /** Keeps a body under a new id; one no applied resource refers to is dropped when the change is made. */
        long keep(Body body) {
            long id = nextBody++;
            bodies.put(id, body);
            return id;
        }

        /** The resource of that key as this draft would serve it. */
        Optional<Resource<?>> inForce(ResourceKey key) {
            Applied mine = applied.get(key);
            if (mine != null) {
                return Optional.of(mine.resource());
            }
            return hidden.contains(key) ? Optional.empty() : below.find(key.kind(), key.namespace(), key.name());
        }
    }

    private ApplyResult change(List<ConfigError> loadErrors, String sourceName, Consumer<Draft> edit) {
        boolean refused = loadErrors.stream().anyMatch(ConfigError::isError);
        Draft draft;
        boolean changes;
        synchronized (this) {
            if (refused) {
                errors = loadErrors;
                return new ApplyResult(List.of(), loadErrors);
            }
            ConfigSnapshot below = beneath.snapshot();
            draft = new Draft(below);
            edit.accept(draft);
            changes = draft.outcomes.stream().anyMatch(o -> o.action().changes());
            if (changes) {
                Set<Long> inForce = new HashSet<>();
                draft.applied.values().forEach(a -> inForce.add(a.body()));
                draft.bodies.keySet().retainAll(inForce);
                long inForceChars = draft.bodies.values().stream().mapToLong(b -> b.yaml().length()).sum();
                if (inForceChars > MAX_APPLIED_CHARS) {
                    return new ApplyResult(List.of(), List.of(new ConfigError(Severity.ERROR, sourceName, 1, "", "",
                            "not changed: the applied config would hold " + inForceChars + " characters of YAML, the"
                                    + " limit is " + MAX_APPLIED_CHARS + "; delete applied resources first")));
                }
                Overlay next = new Overlay(draft.applied, draft.hidden, draft.bodies, draft.nextBody);
                Optional<ConfigError> unsaved = save(next, sourceName);
                if (unsaved.isPresent()) {
                    return new ApplyResult(List.of(), List.of(unsaved.get()));
                }
                overlay = next;
            }
            errors = List.of();
            remerge(below);
        }
        if (changes) {
            listeners.fire();
        }
        return new ApplyResult(draft.outcomes, loadErrors);
    }

    /** Saves before the change takes effect: a change weftd could not keep across a restart is not made. */
    private Optional<ConfigError> save(Overlay next, String sourceName) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            file.get().write(next.saved());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "cannot save applied config to " + file.get().path() + ": " + e);
            return Optional.of(new ConfigError(Severity.ERROR, sourceName, 1, "", "",
                    "not changed: weftd cannot save the change to " + file.get().path() + ": " + e.getMessage()));
        }
    }

    /**
     * Starts from the saved state: each saved body is loaded again and its resources that are still in force come
     * back. A body that no longer loads (a newer weftd validates more strictly) is left out and reported.
     */
    private void restore(AppliedConfigFile from) {
        Saved saved;
        try {
            saved = from.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the applied config " + from.path() + ": " + e.getMessage(), e);
        }
        Map<Long, Map<ResourceKey, Resource<?>>> loaded = new HashMap<>();
        List<ConfigError> problems = new ArrayList<>();
        saved.bodies().forEach((id, body) -> {
            LoadResult result = loader.loadString(body.yaml(), body.source());
            if (result.hasErrors()) {
                problems.addAll(result.errors());
                return;
            }
            Map<ResourceKey, Resource<?>> byKey = new HashMap<>();
            result.accepted().forEach(r -> byKey.put(ResourceKey.of(r), r));
            loaded.put(id, byKey);
        });
        Map<ResourceKey, Applied> applied = new LinkedHashMap<>();
        for (AppliedEntry entry : saved.applied()) {
            ResourceKey key = keyOf(entry.key());
            Resource<?> resource = loaded.getOrDefault(entry.body(), Map.of()).get(key);
            if (resource != null) {
                applied.put(key, new Applied(resource, entry.body()));
            }
        }
        Set<ResourceKey> hidden = new LinkedHashSet<>();
        saved.hidden().forEach(k -> hidden.add(keyOf(k)));
        long next = saved.bodies().keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        overlay = new Overlay(applied, hidden, saved.bodies(), next);
        errors = List.copyOf(problems);
        LOG.info(() -> "applied config restored from " + from.path() + ": " + applied.size() + " applied, "
                + hidden.size() + " deleted");
    }

    private ConfigSnapshot remerge(ConfigSnapshot below) {
        Map<ResourceKey, Resource<?>> merged = new LinkedHashMap<>();
        for (Resource<?> resource : below.all()) {
            ResourceKey key = ResourceKey.of(resource);
            if (!overlay.hidden().contains(key)) {
                merged.put(key, resource);
            }
        }
        overlay.applied().forEach((key, applied) -> merged.put(key, applied.resource()));
        ConfigSnapshot snapshot = ConfigSnapshot.of(List.copyOf(merged.values()));
        view = new View(below, snapshot);
        return snapshot;
    }
}
