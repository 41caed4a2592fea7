package dev.weft.kube.config;

import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.kube.LabelSelector;
import dev.weft.model.load.MeshConfigLoader;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The mesh config's {@code discoverySelectors}: the namespaces whose objects the cluster contributes (Services, pods,
 * Istio's resources, Secrets), those whose labels any selector matches; without selectors, every namespace. As
 * istiod with its default enhanced resource scoping, nothing of another namespace reaches the proxies, and the
 * control plane's namespace counts only when selected too.
 */
public record DiscoveryScope(List<LabelSelector> selectors) {

    public static final DiscoveryScope EVERYTHING = new DiscoveryScope(List.of());
    private static final Logger LOG = Logger.getLogger(DiscoveryScope.class.getName());

    public DiscoveryScope {
        selectors = List.copyOf(selectors);
    }

    /**
     * The selectors of mesh config text ({@code mesh} of the {@code istio} ConfigMap), or empty when it does not
     * load: the scope in force then stays, as istiod keeps its last good mesh config.
     */
    public static Optional<DiscoveryScope> ofMeshConfig(String meshYaml, String origin) {
        MeshConfigLoader.Result loaded = new MeshConfigLoader().loadString(meshYaml, origin);
        if (loaded.hasErrors() || loaded.config().isEmpty()) {
            LOG.warning(() -> origin + " is not a valid mesh config, its discoverySelectors are not taken: "
                    + loaded.findings());
            return Optional.empty();
        }
        return Optional.of(new DiscoveryScope(loaded.config().get().discoverySelectors()));
    }

    public boolean everything() {
        return selectors.isEmpty();
    }

    /** The selected namespaces among the cluster's Namespace resources (meaningless when {@link #everything()}). */
    Set<String> admitted(List<Resource<?>> resources) {
        Set<String> admitted = new TreeSet<>();
        for (Resource<?> r : resources) {
            if (r.kind() == Kind.NAMESPACE && selectors.stream().anyMatch(s -> s.matches(r.metadata().labels()))) {
                admitted.add(r.name());
            }
        }
        return admitted;
    }
}
