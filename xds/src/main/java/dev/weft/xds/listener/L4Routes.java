package dev.weft.xds.listener;

import dev.weft.model.Resource;
import dev.weft.model.networking.Destination;
import dev.weft.model.networking.L4MatchAttributes;
import dev.weft.model.networking.RouteDestination;
import dev.weft.model.networking.TLSMatchAttributes;
import dev.weft.model.networking.TLSRoute;
import dev.weft.model.networking.TCPRoute;
import dev.weft.model.networking.VirtualService;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.push.PushContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** VirtualService tcp and tls rules, decided at config time for one proxy, gateway and port. */
final class L4Routes {

    private L4Routes() {
    }

    /** The first tcp rule that applies to the port, if any. */
    static Optional<WeightedTargets> tcp(Resource<VirtualService> vs, PushContext push, ProxyNode proxy,
            String gateway, int port) {
        for (TCPRoute rule : vs.spec().tcp()) {
            boolean applies = rule.match().isEmpty()
                    || rule.match().stream().anyMatch(m -> applies(m, proxy, gateway, port, vs.namespace()));
            if (applies && !rule.route().isEmpty()) {
                return Optional.of(targets(rule.route(), push, proxy, port));
            }
        }
        return Optional.empty();
    }

    /** Each tls rule's SNI hosts with their destinations, in rule order. */
    static List<Map.Entry<List<String>, WeightedTargets>> tls(Resource<VirtualService> vs, PushContext push,
            ProxyNode proxy, String gateway, int port) {
        List<Map.Entry<List<String>, WeightedTargets>> out = new ArrayList<>();
        for (TLSRoute rule : vs.spec().tls()) {
            List<String> sni = new ArrayList<>();
            for (TLSMatchAttributes match : rule.match()) {
                if (applies(match.port(), match.gateways(), match.sourceLabels(), match.sourceNamespace(), proxy,
                        gateway, port, vs.namespace())) {
                    sni.addAll(match.sniHosts());
                }
            }
            if (!sni.isEmpty() && !rule.route().isEmpty()) {
                out.add(Map.entry(List.copyOf(sni), targets(rule.route(), push, proxy, port)));
            }
        }
        return out;
    }

    private static boolean applies(L4MatchAttributes match, ProxyNode proxy, String gateway, int port,
            String namespace) {
        return applies(match.port(), match.gateways(), match.sourceLabels(), match.sourceNamespace(), proxy, gateway,
                port, namespace);
    }

    /** What tcp and tls matches share: the port, the gateways (a match's own list narrows the rule's), the source. */
    private static boolean applies(int matchPort, List<String> gateways, Map<String, String> sourceLabels,
            String sourceNamespace, ProxyNode proxy, String gateway, int port, String namespace) {
        if (matchPort != 0 && matchPort != port) {
            return false;
        }
        if (!gateways.isEmpty() && gateways.stream()
                .noneMatch(g -> PushContext.qualifyGateway(g, namespace).equals(gateway))) {
            return false;
        }
        return proxy.labels().entrySet().containsAll(sourceLabels.entrySet())
                && (sourceNamespace.isEmpty() || sourceNamespace.equals(proxy.namespace()));
    }

    private static WeightedTargets targets(List<RouteDestination> route, PushContext push, ProxyNode proxy, int port) {
        List<RouteDestination> destinations = route.size() > 1
                ? route.stream().filter(d -> d.weight() > 0).toList() : route;
        List<WeightedTargets.Target> targets = new ArrayList<>();
        for (RouteDestination destination : destinations) {
            targets.add(new WeightedTargets.Target(cluster(destination.destination(), push, proxy, port),
                    Math.max(destination.weight(), 1)));
        }
        return new WeightedTargets(targets);
    }

    static String cluster(Destination destination, PushContext push, ProxyNode proxy, int port) {
        int target = destination.port() != null && destination.port().number() > 0
                ? destination.port().number()
                : push.service(destination.host(), proxy.namespace())
                        .map(ServiceInstances::service)
                        .filter(s -> s.ports().size() == 1)
                        .map(s -> s.ports().getFirst().number())
                        .orElse(port);
        return ClusterNames.outbound(target, destination.subset(), destination.host());
    }
}
