package dev.weft.xds.push;

import dev.weft.model.Resource;
import dev.weft.model.networking.IstioEgressListener;
import dev.weft.model.networking.OutboundTrafficMode;
import dev.weft.model.networking.Sidecar;
import dev.weft.xds.mesh.Service;
import java.util.List;
import java.util.Optional;

/**
 * What one proxy may reach: the Sidecar resource that applies to it (if any) reduced to a host filter,
 * and the outbound traffic policy for unknown destinations.
 */
public record SidecarScope(Optional<Resource<Sidecar>> sidecar, String proxyNamespace, boolean allowAnyOutbound) {

    /** Whether the Sidecar's egress hosts admit this service; no Sidecar admits everything. */
    public boolean admits(Service service) {
        if (sidecar.isEmpty() || sidecar.get().spec().egress().isEmpty()) {
            return true;
        }
        boolean admitted = false;
        for (IstioEgressListener egress : sidecar.get().spec().egress()) {
            for (String entry : egress.hosts()) {
                int slash = entry.indexOf('/');
                String namespace = slash < 0 ? "*" : entry.substring(0, slash);
                String host = slash < 0 ? entry : entry.substring(slash + 1);
                boolean exclude = namespace.startsWith("~") && namespace.length() > 1;
                String nsPattern = exclude ? namespace.substring(1) : namespace;
                if (namespaceMatches(nsPattern, service.namespace()) && HostMatch.matches(host, service.hostname())) {
                    if (exclude) {
                        return false;
                    }
                    admitted = true;
                }
            }
        }
        return admitted;
    }

    private boolean namespaceMatches(String pattern, String namespace) {
        return switch (pattern) {
            case "*" -> true;
            case "." -> namespace.equals(proxyNamespace);
            case "~" -> false;
            default -> pattern.equals(namespace);
        };
    }

    static SidecarScope resolve(List<Resource<Sidecar>> candidates, String proxyNamespace,
            java.util.Map<String, String> proxyLabels, MeshSettings mesh) {
        Optional<Resource<Sidecar>> chosen = candidates.stream()
                .filter(s -> s.namespace().equals(proxyNamespace) && s.spec().workloadSelector() != null
                        && !s.spec().workloadSelector().labels().isEmpty()
                        && proxyLabels.entrySet().containsAll(s.spec().workloadSelector().labels().entrySet()))
                .findFirst()
                .or(() -> candidates.stream()
                        .filter(s -> s.namespace().equals(proxyNamespace) && hasNoSelector(s))
                        .findFirst())
                .or(() -> candidates.stream()
                        .filter(s -> s.namespace().equals(mesh.rootNamespace()) && hasNoSelector(s))
                        .findFirst());
        boolean allowAny = chosen
                .map(s -> s.spec().outboundTrafficPolicy())
                .map(p -> p.mode() == OutboundTrafficMode.ALLOW_ANY || p.mode() == OutboundTrafficMode.ALLOW_ANY_DYNAMIC_DNS)
                .orElse(mesh.allowAnyOutbound());
        return new SidecarScope(chosen, proxyNamespace, allowAny);
    }

    private static boolean hasNoSelector(Resource<Sidecar> sidecar) {
        return sidecar.spec().workloadSelector() == null || sidecar.spec().workloadSelector().labels().isEmpty();
    }
}
