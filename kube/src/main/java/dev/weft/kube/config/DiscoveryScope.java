package dev.weft.kube.config;

import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.kube.LabelSelector;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mesh config's {@code discoverySelectors}: the namespaces whose Services and pods the cluster contributes, those
 * whose labels any selector matches; without selectors, every namespace. As istiod, weftd still reads Istio's own
 * resources from every namespace.
 */
public record DiscoveryScope(List<LabelSelector> selectors) {

    public static final DiscoveryScope EVERYTHING = new DiscoveryScope(List.of());

    public DiscoveryScope {
        selectors = List.copyOf(selectors);
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
