package dev.weft.xds.push;

import dev.weft.model.Resource;
import dev.weft.model.networking.ConnectionPoolSettings;
import dev.weft.model.networking.IstioEgressListener;
import dev.weft.model.networking.IstioIngressListener;
import dev.weft.model.networking.OutboundTrafficMode;
import dev.weft.model.networking.Sidecar;
import dev.weft.xds.mesh.Service;
import java.util.List;
import java.util.Optional;

/**
 * What one proxy may reach: the Sidecar resource that applies to it (if any) as host filters per outbound port
 * (its egress listeners), its ingress listeners, and the outbound traffic policy for unknown destinations.
 */
public record SidecarScope(Optional<Resource<Sidecar>> sidecar, String proxyNamespace, boolean allowAnyOutbound) {

    /** Whether any egress listener's hosts admit this service (its clusters exist); no Sidecar admits everything. */
    public boolean admits(Service service) {
        return egress().isEmpty() || egress().stream().anyMatch(listener -> admits(listener, service));
    }

    /**
     * Whether the proxy listens for and routes {@code service} on outbound {@code port}: the egress listener that
     * owns the port (see {@link #egressListenerFor}) must admit it.
     */
    public boolean admits(Service service, int port) {
        return egress().isEmpty() || egressListenerFor(port).filter(listener -> admits(listener, service)).isPresent();
    }

    /** The egress listener naming {@code port}, else the one without a port (Istio's catch-all, listed last). */
    public Optional<IstioEgressListener> egressListenerFor(int port) {
        return egress().stream().filter(e -> portOf(e) == port).findFirst()
                .or(() -> egress().stream().filter(e -> portOf(e) == 0).findFirst());
    }

    /** The Sidecar's ingress listeners, which replace the inbound ports inferred from the workload's services. */
    public List<IstioIngressListener> ingress() {
        return sidecar.map(s -> s.spec().ingress()).orElse(List.of());
    }

    /**
     * The connection pool toward the app on inbound {@code port}: the ingress listener's for that port, else the
     * Sidecar's inboundConnectionPool; empty when neither is set. Each replaces the other whole.
     */
    public Optional<ConnectionPoolSettings> inboundConnectionPool(int port) {
        return ingress().stream()
                .filter(i -> i.port() != null && i.port().number() == port && i.connectionPool() != null)
                .map(IstioIngressListener::connectionPool)
                .findFirst()
                .or(() -> sidecar.map(s -> s.spec().inboundConnectionPool()));
    }

    private List<IstioEgressListener> egress() {
        return sidecar.map(s -> s.spec().egress()).orElse(List.of());
    }

    private static int portOf(IstioEgressListener listener) {
        return listener.port() == null ? 0 : listener.port().number();
    }

    /** A {@code ~ns/host} entry excludes what it matches from the listener, whatever the other entries say. */
    private boolean admits(IstioEgressListener egress, Service service) {
        boolean admitted = false;
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
