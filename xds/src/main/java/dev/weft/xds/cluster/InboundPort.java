package dev.weft.xds.cluster;

import dev.weft.xds.mesh.LocalPorts;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Protocol;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.push.PushContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One port the proxy's own workload serves, from the services that select it.
 *
 * @param port the workload (container) port, as in the cluster name {@code inbound|9080||}
 * @param appPort where the app listens (the port itself unless the local runtime moved it)
 * @param listenPort where a local-runtime sidecar accepts this port's traffic, empty under capture
 */
public record InboundPort(int port, Protocol protocol, int appPort, Optional<Integer> listenPort) {

    public static List<InboundPort> of(PushContext push, ProxyNode proxy) {
        Map<Integer, Protocol> ports = new TreeMap<>();
        for (ServiceInstances instances : push.servicesOf(proxy)) {
            for (ServicePort port : instances.service().ports()) {
                ports.putIfAbsent(port.effectiveTargetPort(), port.protocol());
            }
        }
        Optional<LocalPorts> local = proxy.localPorts();
        List<InboundPort> inbound = new ArrayList<>();
        ports.forEach((port, protocol) -> {
            Optional<LocalPorts.WorkloadPort> moved = local.flatMap(l -> l.forPort(port));
            inbound.add(new InboundPort(port, protocol,
                    moved.map(LocalPorts.WorkloadPort::app).orElse(port),
                    moved.map(LocalPorts.WorkloadPort::proxy)));
        });
        return inbound;
    }
}
