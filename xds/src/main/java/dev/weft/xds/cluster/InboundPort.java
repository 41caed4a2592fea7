package dev.weft.xds.cluster;

import dev.weft.model.networking.CaptureMode;
import dev.weft.model.networking.IstioIngressListener;
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
 * One port the proxy's own workload serves: from the Sidecar's ingress listeners when it has them (and the
 * workload belongs to a service), else from the services that select the workload.
 *
 * @param port the workload (container) port, as in the cluster name {@code inbound|9080||}
 * @param appAddress where the app listens: 127.0.0.1 under capture, the workload's own address for
 *     {@code 0.0.0.0:PORT} endpoints and in the local runtime, or a {@code unix://} path
 * @param appPort where the app listens (the port itself unless the local runtime or a defaultEndpoint moved it)
 * @param listenPort where a local-runtime sidecar accepts this port's traffic, empty under capture
 * @param bind the address of a real listener for an ingress listener with captureMode NONE, empty otherwise
 */
public record InboundPort(int port, Protocol protocol, String appAddress, int appPort, Optional<Integer> listenPort,
        Optional<String> bind) {

    static final String UNIX_PREFIX = "unix://";

    public static List<InboundPort> of(PushContext push, ProxyNode proxy) {
        List<ServiceInstances> services = push.servicesOf(proxy);
        List<IstioIngressListener> ingress = push.sidecarScope(proxy).ingress();
        if (!ingress.isEmpty()) {
            return services.isEmpty() ? List.of() : fromIngress(ingress, proxy);
        }
        Map<Integer, Protocol> ports = new TreeMap<>();
        for (ServiceInstances instances : services) {
            for (ServicePort port : instances.service().ports()) {
                ports.putIfAbsent(port.effectiveTargetPort(), port.protocol());
            }
        }
        Optional<LocalPorts> local = proxy.localPorts();
        String appAddress = local.isPresent() ? proxy.address() : "127.0.0.1";
        List<InboundPort> inbound = new ArrayList<>();
        ports.forEach((port, protocol) -> {
            Optional<LocalPorts.WorkloadPort> moved = local.flatMap(l -> l.forPort(port));
            inbound.add(new InboundPort(port, protocol, appAddress,
                    moved.map(LocalPorts.WorkloadPort::app).orElse(port),
                    moved.map(LocalPorts.WorkloadPort::proxy), Optional.empty()));
        });
        return inbound;
    }

    /** Istio's defaultEndpoint: {@code 127.0.0.1:PORT}, {@code 0.0.0.0:PORT} (the workload's address) or unix. */
    private static List<InboundPort> fromIngress(List<IstioIngressListener> ingress, ProxyNode proxy) {
        Map<Integer, InboundPort> byPort = new TreeMap<>();
        for (IstioIngressListener listener : ingress) {
            if (listener.port() == null) {
                continue;
            }
            int port = listener.port().number();
            Protocol protocol = listener.port().protocol() == null || listener.port().protocol().isEmpty()
                    ? Protocol.infer(listener.port().name(), null) : Protocol.parse(listener.port().protocol());
            String endpoint = listener.defaultEndpoint() == null ? "" : listener.defaultEndpoint();
            String appAddress = "127.0.0.1";
            int appPort = port;
            if (endpoint.startsWith(UNIX_PREFIX)) {
                appAddress = endpoint;
                appPort = 0;
            } else if (!endpoint.isEmpty()) {
                int colon = endpoint.lastIndexOf(':');
                String host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
                boolean wildcard = host.equals("0.0.0.0") || host.equals("::");
                appAddress = wildcard || proxy.localPorts().isPresent() ? proxy.address() : host;
                appPort = Integer.parseInt(endpoint.substring(colon + 1));
            }
            Optional<LocalPorts.WorkloadPort> moved = proxy.localPorts().flatMap(l -> l.forPort(port));
            Optional<String> bind = listener.captureMode() == CaptureMode.NONE && moved.isEmpty()
                    ? Optional.of(listener.bind() == null || listener.bind().isEmpty() ? proxy.address() : listener.bind())
                    : Optional.empty();
            byPort.putIfAbsent(port, new InboundPort(port, protocol, appAddress,
                    moved.map(LocalPorts.WorkloadPort::app).orElse(appPort),
                    moved.map(LocalPorts.WorkloadPort::proxy), bind));
        }
        return List.copyOf(byPort.values());
    }
}
