package dev.weft.xds.cluster;

import dev.weft.model.Resource;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.Server;
import dev.weft.model.networking.ServerTLSMode;
import dev.weft.model.networking.Subset;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ProxyType;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.push.HostMatch;
import dev.weft.xds.push.MergedDestinationRule;
import dev.weft.xds.push.PushContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Istio's AUTO_PASSTHROUGH gateway servers (multi-network east-west): a caller's sidecar names its destination in
 * the SNI of its mutual TLS, {@code outbound_.<port>_.<subset>_.<host>}, and the gateway passes the connection, still
 * encrypted, to that service's endpoints. No VirtualService is involved. Istio routes with the sni_cluster filter;
 * here each admitted service port and subset gets its own SNI chain and an SNI-DNAT cluster of that name: the
 * outbound cluster without TLS of its own.
 */
public final class AutoPassthrough {

    /** An SNI the server admits and the outbound cluster whose endpoints it goes to. */
    public record Target(String sni, String outboundCluster) {
    }

    private AutoPassthrough() {
    }

    public static boolean is(Server server) {
        return server.tls() != null && server.tls().mode() == ServerTLSMode.AUTO_PASSTHROUGH;
    }

    /** The service ports and subsets visible to the gateway whose host one of the server's hosts admits. */
    public static List<Target> targets(PushContext push, ProxyNode proxy, Resource<Gateway> gateway, Server server) {
        List<Target> targets = new ArrayList<>();
        for (ServiceInstances instances : push.servicesFor(proxy)) {
            Service service = instances.service();
            if (!admits(server, gateway.namespace(), service)) {
                continue;
            }
            List<String> subsets = new ArrayList<>();
            subsets.add(null);
            push.destinationRule(proxy.namespace(), service).map(MergedDestinationRule::subsets).orElse(List.of())
                    .stream().map(Subset::name).forEach(subsets::add);
            for (ServicePort port : service.ports()) {
                for (String subset : subsets) {
                    targets.add(new Target(ClusterNames.sniDnat(port.number(), subset, service.hostname()),
                            ClusterNames.outbound(port.number(), subset, service.hostname())));
                }
            }
        }
        return targets;
    }

    /** Every target of the proxy's AUTO_PASSTHROUGH servers; none for a sidecar. */
    static List<Target> targets(PushContext push, ProxyNode proxy) {
        List<Target> targets = new ArrayList<>();
        if (proxy.type() == ProxyType.ROUTER) {
            for (Resource<Gateway> gateway : push.gatewaysFor(proxy)) {
                gateway.spec().servers().stream().filter(AutoPassthrough::is)
                        .forEach(server -> targets.addAll(targets(push, proxy, gateway, server)));
            }
        }
        return targets;
    }

    /** A server host {@code [namespace/]dnsName} names the service: its namespace part, then its DNS name. */
    private static boolean admits(Server server, String gatewayNamespace, Service service) {
        for (String entry : server.hosts()) {
            int slash = entry.indexOf('/');
            String namespace = slash < 0 ? "*" : entry.substring(0, slash);
            boolean namespaceOk = namespace.equals("*") || namespace.equals(service.namespace())
                    || (namespace.equals(".") && gatewayNamespace.equals(service.namespace()));
            if (namespaceOk && HostMatch.matches(entry.substring(slash + 1), service.hostname())) {
                return true;
            }
        }
        return false;
    }
}
