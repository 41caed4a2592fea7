package dev.weft.xds.scope;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What of a proxy's node the generated xDS can depend on, as far as one config tells, giving the {@link ProxyScope}
 * a proxy is generated for. Labels matter only under keys some selector reads: a selector is any field named
 * {@code selector}, {@code workloadSelector}, {@code sourceLabels} or {@code matchLabels}, in any kind, so a kind
 * added later is covered as long as it names its selectors the way Istio does. Instance addresses matter when a
 * Sidecar declares ingress listeners (a wildcard default endpoint or capture mode NONE uses the proxy's own IP).
 *
 * @param labelKeys every selector key: clusters and listeners depend on them all, since the services selecting the
 *     proxy's own workload give it its inbound ports
 * @param routingLabelKeys the keys of selectors in routing and policy config (Sidecar, Gateway, VirtualService
 *     {@code sourceLabels}, policy selectors), leaving out those of Services, ServiceEntries and workloads: routes
 *     and endpoints do not depend on the proxy's own workload
 * @param addressesMatter whether a proxy's instance IPs can change what it is given
 */
public record ScopeRules(Set<String> labelKeys, Set<String> routingLabelKeys, boolean addressesMatter) {

    private static final Set<String> SELECTOR_FIELDS = Set.of("selector", "workloadSelector", "sourceLabels", "matchLabels");
    private static final Set<Kind> WORKLOAD_KINDS = EnumSet.of(Kind.SERVICE, Kind.SERVICE_ENTRY, Kind.WORKLOAD_ENTRY,
            Kind.WORKLOAD_GROUP, Kind.POD, Kind.DEPLOYMENT);

    public ScopeRules {
        labelKeys = Set.copyOf(labelKeys);
        routingLabelKeys = Set.copyOf(routingLabelKeys);
    }

    public static ScopeRules of(ConfigSnapshot config) {
        Set<String> all = new TreeSet<>();
        Set<String> routing = new TreeSet<>();
        for (Resource<?> resource : config.all()) {
            Set<String> keys = new TreeSet<>();
            collect(resource.spec(), false, keys);
            all.addAll(keys);
            if (!WORKLOAD_KINDS.contains(resource.kind())) {
                routing.addAll(keys);
            }
        }
        boolean addresses = config.sidecars().stream()
                .anyMatch(s -> s.spec().ingress() != null && !s.spec().ingress().isEmpty());
        return new ScopeRules(all, routing, addresses);
    }

    /** The scope for clusters and listeners. */
    public ProxyScope scopeOf(Node node) {
        return ProxyScope.of(node, labelKeys, addressesMatter);
    }

    /** The scope for routes and endpoints, which share more widely. */
    public ProxyScope routingScopeOf(Node node) {
        return ProxyScope.of(node, routingLabelKeys, addressesMatter);
    }

    /** Walks records, collections and maps; inside a selector field, every map key is a label key. */
    private static void collect(Object value, boolean inSelector, Set<String> keys) {
        switch (value) {
            case null -> {
            }
            case Record record -> {
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    collect(read(component, record), inSelector || SELECTOR_FIELDS.contains(component.getName()), keys);
                }
            }
            case Map<?, ?> map -> map.forEach((k, v) -> {
                if (inSelector && k instanceof String key) {
                    keys.add(key);
                }
                collect(v, inSelector, keys);
            });
            case Collection<?> collection -> collection.forEach(v -> collect(v, inSelector, keys));
            case Optional<?> optional -> optional.ifPresent(v -> collect(v, inSelector, keys));
            default -> {
            }
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            java.lang.reflect.Method accessor = component.getAccessor();
            accessor.trySetAccessible();
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
