package dev.weft.xds.route;

import dev.weft.model.networking.Destination;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.push.EffectivePolicy;
import dev.weft.xds.push.PushContext;
import java.util.Optional;

/**
 * Where routes are being built: for which proxy, as which gateway ({@code mesh} for sidecars), on which
 * port. Resolves destinations to cluster names.
 */
record RouteContext(PushContext push, ProxyNode proxy, String gateway, int port) {

    String cluster(Destination destination) {
        return ClusterNames.outbound(portOf(destination), destination.subset(), destination.host());
    }

    /** An explicit port, else the service's only port, else the port being routed. */
    int portOf(Destination destination) {
        if (destination.port() != null && destination.port().number() > 0) {
            return destination.port().number();
        }
        return service(destination.host())
                .filter(s -> s.ports().size() == 1)
                .map(s -> s.ports().getFirst().number())
                .orElse(port);
    }

    Optional<Service> service(String host) {
        return push.service(host, proxy.namespace()).map(ServiceInstances::service);
    }

    EffectivePolicy policy(Destination destination) {
        return service(destination.host())
                .flatMap(s -> push.destinationRule(proxy.namespace(), s))
                .map(rule -> rule.policyFor(portOf(destination), destination.subset()))
                .orElse(EffectivePolicy.DEFAULTS);
    }
}
