package dev.weft.kube.config;

import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import dev.weft.model.ResourceKey;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The config a cluster holds (Istio's resources, Services, ServiceAccounts, Namespaces), as the informers see it.
 * Each object is parsed and validated by the model's loader, one object at a time: an invalid object keeps its last
 * good version serving (or stays out if it never had one), its findings are listed in {@link #errors()} and handed to
 * the {@link ValidationReporter}, and the rest of the cluster's config is unaffected. An object whose reduced
 * document did not change (a relist, a status write, a new resourceVersion) is not parsed again and pushes nothing.
 *
 * <p>A kind served in several versions is watched in each (the mock API server keeps them apart; a real one shows
 * every object in all); an object seen in several is taken in its newest version.
 */
public final class KubeConfigStore implements ConfigStore {

    private static final Logger LOG = Logger.getLogger(KubeConfigStore.class.getName());
    private static final Comparator<Resource<?>> LOAD_ORDER = Comparator
            .comparing((Resource<?> r) -> r.kind()).thenComparing(Resource::namespace).thenComparing(Resource::name);

    /** An object's last parsed document, its last good resource and the findings of that document. */
    private record Parsed(String document, Optional<Resource<?>> good, List<ConfigError> findings) {
    }

    private final ConfigLoader loader;
    private final ValidationReporter reporter;
    private final ValidationObserver validations;
    private DiscoveryScope scope;
    /** The namespaces the discovery selectors admit now; null for every namespace. */
    private volatile Set<String> admitted;
    private final List<Runnable> scopeListeners = new CopyOnWriteArrayList<>();
    /** Every sighting per object, by version rank (newest version first). */
    private final Map<ResourceKey, TreeMap<Integer, KubeObject>> seen = new HashMap<>();
    private final Map<ResourceKey, Parsed> parsed = new HashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private boolean synced;
    /** Set by a rebuild that changed the admitted namespaces; the next fire tells the scope listeners. */
    private boolean scopeChanged;
    private volatile ConfigSnapshot snapshot = ConfigSnapshot.empty();
    private volatile List<ConfigError> errors = List.of();

    public KubeConfigStore(ConfigLoader loader, ValidationReporter reporter, ValidationObserver validations) {
        this(loader, reporter, validations, DiscoveryScope.EVERYTHING);
    }

    /** {@code scope}: which namespaces' objects the cluster contributes, until {@link #rescope}. */
    public KubeConfigStore(ConfigLoader loader, ValidationReporter reporter, ValidationObserver validations,
            DiscoveryScope scope) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.validations = Objects.requireNonNull(validations, "validations");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.admitted = scope.everything() ? null : Set.of();
    }

    /** Whether the discovery selectors admit the namespace's objects (Services, pods, Istio's, Secrets). */
    public boolean admits(String namespace) {
        Set<String> now = admitted;
        return now == null || now.contains(namespace);
    }

    /**
     * The mesh config's discovery selectors changed: the namespaces they admit now are worked out again, and the
     * objects of those that enter or leave are served or withdrawn in one change.
     */
    public void rescope(DiscoveryScope next) {
        boolean rebuilt;
        synchronized (this) {
            rebuilt = synced && !next.equals(scope);
            scope = Objects.requireNonNull(next, "scope");
            if (rebuilt) {
                rebuild();
            }
        }
        fireIf(rebuilt);
    }

    /** Called (outside the store's lock) when the namespaces the selectors admit changed. */
    public void addScopeListener(Runnable onChange) {
        scopeListeners.add(onChange);
    }

    @Override
    public ConfigSnapshot snapshot() {
        return snapshot;
    }

    /** The findings of every object whose current version was rejected. */
    @Override
    public List<ConfigError> errors() {
        return errors;
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    /** An informer added or updated the object, in the version of rank {@code versionRank}. */
    public void seen(KubeObject object, int versionRank) {
        boolean changed;
        synchronized (this) {
            seen.computeIfAbsent(object.key(), k -> new TreeMap<>()).put(versionRank, object);
            changed = reconcile(object.key());
        }
        fireIf(changed);
    }

    /** An informer saw the object deleted from the version of rank {@code versionRank}. */
    public void gone(KubeObject object, int versionRank) {
        boolean changed;
        synchronized (this) {
            TreeMap<Integer, KubeObject> versions = seen.get(object.key());
            if (versions == null) {
                return;
            }
            versions.remove(versionRank);
            if (versions.isEmpty()) {
                seen.remove(object.key());
            }
            changed = reconcile(object.key());
        }
        fireIf(changed);
    }

    /** Every informer listed once: the snapshot is built from all of it, and from now on every change is pushed. */
    public void synced() {
        synchronized (this) {
            synced = true;
            rebuild();
            errors = parsed.values().stream().flatMap(p -> p.findings().stream()).toList();
        }
        fireIf(true);
    }

    /** Reports every object's current version again, accepted or not (a replica that just became the leader). */
    public synchronized void reportAll() {
        parsed.forEach((key, result) -> {
            TreeMap<Integer, KubeObject> versions = seen.get(key);
            if (versions != null) {
                reporter.report(versions.firstEntry().getValue(), result.findings());
            }
        });
    }

    /** What a sighting changed: the served resources, the findings, or neither. */
    private record Change(boolean served, boolean findings) {
        static final Change NONE = new Change(false, false);
    }

    /** Parses the object's current document if it changed; rebuilds what changed; true when what it serves changed. */
    private boolean reconcile(ResourceKey key) {
        Change change = parse(key);
        if (synced && change.findings()) {
            errors = parsed.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(Comparator.comparing(ResourceKey::displayName)))
                    .flatMap(e -> e.getValue().findings().stream()).toList();
        }
        if (synced && change.served()) {
            rebuild();
            return true;
        }
        return false;
    }

    private Change parse(ResourceKey key) {
        TreeMap<Integer, KubeObject> versions = seen.get(key);
        Parsed before = parsed.get(key);
        Optional<Resource<?>> goodBefore = before == null ? Optional.empty() : before.good();
        boolean hadFindings = before != null && !before.findings().isEmpty();
        if (versions == null) {
            parsed.remove(key);
            return new Change(goodBefore.isPresent(), hadFindings);
        }
        KubeObject current = versions.firstEntry().getValue();
        if (before != null && before.document().equals(current.document())) {
            return Change.NONE;
        }
        LoadResult result = loader.loadString(current.document(), current.origin());
        validations.validated(result);
        List<ConfigError> rejected = result.errors().stream().filter(ConfigError::isError).toList();
        if (!rejected.isEmpty()) {
            parsed.put(key, new Parsed(current.document(), goodBefore, rejected));
            LOG.warning(() -> current.origin() + " rejected, " + (goodBefore.isPresent()
                    ? "its last good version keeps serving: " : "not served: ") + rejected);
            reporter.report(current, rejected);
            return new Change(false, true);
        }
        Optional<Resource<?>> good = result.accepted().stream().findFirst();
        parsed.put(key, new Parsed(current.document(), good, List.of()));
        reporter.report(current, List.of());
        return new Change(!good.equals(goodBefore), hadFindings);
    }

    private void rebuild() {
        List<Resource<?>> good = new ArrayList<>();
        parsed.values().forEach(p -> p.good().ifPresent(good::add));
        Set<String> now = scope.everything() ? null : scope.admitted(good);
        scopeChanged |= !Objects.equals(now, admitted);
        admitted = now;
        if (now != null) {
            // Namespaces themselves stay: which of them the selectors admit is worked out from them.
            good.removeIf(r -> r.kind().isNamespaced() && !now.contains(r.namespace()));
        }
        good.sort(LOAD_ORDER);
        snapshot = ConfigSnapshot.of(good);
    }

    private void fireIf(boolean changed) {
        boolean rescoped;
        synchronized (this) {
            rescoped = scopeChanged;
            scopeChanged = false;
        }
        if (rescoped) {
            scopeListeners.forEach(Runnable::run);
        }
        if (!changed) {
            return;
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "config listener failed", e);
            }
        }
    }
}
