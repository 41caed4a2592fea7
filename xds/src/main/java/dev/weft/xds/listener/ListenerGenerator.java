package dev.weft.xds.listener;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.weft.model.Resource;
import dev.weft.model.networking.CaptureMode;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.IstioEgressListener;
import dev.weft.model.networking.Server;
import dev.weft.model.networking.VirtualService;
import dev.weft.xds.authn.JwtAuthnFilters;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.cluster.InboundPort;
import dev.weft.xds.mesh.LocalPorts;
import dev.weft.xds.mesh.Protocol;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ProxyType;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.push.SidecarScope;
import dev.weft.xds.route.RouteGenerator;
import dev.weft.xds.security.InboundSecurityFilters;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * LDS. Sidecars: the 15001 virtual outbound listener (passthrough or blackhole), a listener per outbound
 * service port (HTTP via RDS named by port, TCP via tcp_proxy, TLS by SNI), and inbound listeners to the
 * app. A local-runtime sidecar has no capture: it gets one HTTP listener on its outbound port (routing
 * by Host across all services), one listener per declared egress port and one per workload port, all on
 * its own address (the first instance IP).
 * Gateways: a listener per Gateway server port. Pure and sorted by name.
 */
public final class ListenerGenerator {

    public static final String VIRTUAL_OUTBOUND = "virtualOutbound";
    public static final String VIRTUAL_INBOUND = "virtualInbound";
    public static final String LOCAL_OUTBOUND = "local-outbound";
    static final int OUTBOUND_CAPTURE_PORT = 15001;
    static final int INBOUND_CAPTURE_PORT = 15006;

    private ListenerGenerator() {
    }

    public static List<Listener> generate(PushContext push, ProxyNode proxy) {
        Map<String, Listener> listeners = new TreeMap<>();
        List<Listener> generated = proxy.type() == ProxyType.ROUTER ? gateway(push, proxy)
                : proxy.proxylessGrpc() ? proxyless(push, proxy)
                : sidecar(push, proxy);
        generated.forEach(l -> listeners.put(l.getName(), l));
        return List.copyOf(listeners.values());
    }

    /**
     * A gRPC client resolves {@code xds:///host:port}: it asks for a listener of that name holding an
     * api_listener, whose routes come over RDS under the same name.
     */
    private static List<Listener> proxyless(PushContext push, ProxyNode proxy) {
        List<Listener> listeners = new ArrayList<>();
        SidecarScope scope = push.sidecarScope(proxy);
        for (ServiceInstances instances : push.servicesFor(proxy)) {
            for (ServicePort port : instances.service().ports()) {
                if (port.protocol().isHttp() && scope.admits(instances.service(), port.number())) {
                    String name = RouteGenerator.proxylessRouteName(instances.service(), port.number());
                    listeners.add(Listener.newBuilder()
                            .setName(name)
                            .setApiListener(io.envoyproxy.envoy.config.listener.v3.ApiListener.newBuilder()
                                    .setApiListener(NetworkFilters.grpcConnectionManager(name)))
                            .build());
                }
            }
        }
        return listeners;
    }

    private static List<Listener> sidecar(PushContext push, ProxyNode proxy) {
        List<Listener> listeners = new ArrayList<>();
        boolean allowAny = push.sidecarScope(proxy).allowAnyOutbound();
        String fallback = allowAny ? ClusterNames.PASSTHROUGH : ClusterNames.BLACKHOLE;
        if (proxy.localPorts().isPresent()) {
            LocalPorts ports = proxy.localPorts().get();
            listeners.add(Listener.newBuilder()
                    .setName(LOCAL_OUTBOUND)
                    .setAddress(address(proxy.address(), ports.outbound()))
                    .addFilterChains(FilterChain.newBuilder().addFilters(
                            NetworkFilters.httpWithRds("outbound_local", RouteGenerator.LOCAL_OUTBOUND, false)))
                    .build());
            // Without capture nothing reaches per-port listeners: non-HTTP dependencies get an egress port each.
            listeners.addAll(localEgress(push, proxy, ports));
        } else {
            listeners.add(Listener.newBuilder()
                    .setName(VIRTUAL_OUTBOUND)
                    .setAddress(address("0.0.0.0", OUTBOUND_CAPTURE_PORT))
                    .setUseOriginalDst(BoolValue.of(true))
                    .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.original_dst")
                            .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance())))
                    .setDefaultFilterChain(FilterChain.newBuilder().setName(fallback)
                            .addFilters(NetworkFilters.tcpProxy(fallback, WeightedTargets.single(fallback))))
                    .build());
            listeners.addAll(outboundPortListeners(push, proxy, fallback));
        }
        listeners.addAll(inbound(push, proxy));
        return listeners;
    }

    /**
     * Listeners per outbound port, reached through capture (bind_to_port false). HTTP services share
     * {@code 0.0.0.0_<port>}; a TCP or TLS service with a VIP gets {@code <vip>_<port>}, so it keeps working when
     * an HTTP service uses the same port number (Envoy hands a connection to the listener of its exact original
     * destination first). A Sidecar egress listener for the port with a {@code bind} address or captureMode
     * NONE is instead one listener on {@code <bind>_<port>}, bound as a real socket under NONE.
     */
    private static List<Listener> outboundPortListeners(PushContext push, ProxyNode proxy, String fallback) {
        SidecarScope scope = push.sidecarScope(proxy);
        Map<Integer, List<OutboundPortListener.Target>> byPort = new TreeMap<>();
        for (ServiceInstances instances : push.servicesFor(proxy)) {
            for (ServicePort port : instances.service().ports()) {
                if (port.protocol() != Protocol.UDP && scope.admits(instances.service(), port.number())) {
                    byPort.computeIfAbsent(port.number(), p -> new ArrayList<>())
                            .add(new OutboundPortListener.Target(instances.service(), port));
                }
            }
        }
        List<Listener> listeners = new ArrayList<>();
        byPort.forEach((port, targets) -> {
            Optional<IstioEgressListener> explicit = scope.egressListenerFor(port)
                    .filter(e -> e.port() != null && (!isBlank(e.bind()) || e.captureMode() == CaptureMode.NONE));
            if (explicit.isPresent()) {
                boolean socket = explicit.get().captureMode() == CaptureMode.NONE;
                String bind = !isBlank(explicit.get().bind()) ? explicit.get().bind() : "127.0.0.1";
                listeners.add(OutboundPortListener.build(bind + "_" + port, address(bind, port), socket, port, targets,
                        true, push, proxy, fallback));
                return;
            }
            List<OutboundPortListener.Target> wildcard = new ArrayList<>();
            for (OutboundPortListener.Target target : targets) {
                List<String> vips = target.port().protocol().isHttp() ? List.of() : target.service().addresses().stream()
                        .filter(a -> !a.contains("/")).toList();
                if (vips.isEmpty()) {
                    wildcard.add(target);
                }
                for (String vip : vips) {
                    listeners.add(OutboundPortListener.build(vip + "_" + port, address(vip, port), false, port,
                            List.of(target), false, push, proxy, fallback));
                }
            }
            if (!wildcard.isEmpty()) {
                listeners.add(OutboundPortListener.build("0.0.0.0_" + port, address("0.0.0.0", port), false, port,
                        wildcard, true, push, proxy, fallback));
            }
        });
        return listeners;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }

    /**
     * Local runtime: each declared egress port acts as the outbound listener of one service port. Connections
     * for an unknown host or port are closed (the blackhole): an original destination would be this listener.
     */
    private static List<Listener> localEgress(PushContext push, ProxyNode proxy, LocalPorts ports) {
        List<ServiceInstances> visible = push.servicesFor(proxy);
        List<Listener> listeners = new ArrayList<>();
        for (LocalPorts.EgressPort egress : ports.egress()) {
            List<OutboundPortListener.Target> targets = visible.stream()
                    .map(ServiceInstances::service)
                    .filter(s -> s.hostname().equals(egress.host()))
                    .flatMap(s -> s.port(egress.port()).map(p -> new OutboundPortListener.Target(s, p)).stream())
                    .toList();
            listeners.add(OutboundPortListener.build(localEgressName(egress), address(proxy.address(), egress.listen()),
                    true, egress.port(), targets, false, push, proxy, ClusterNames.BLACKHOLE));
        }
        return listeners;
    }

    private static String localEgressName(LocalPorts.EgressPort egress) {
        return "local-egress_" + egress.port() + "_" + egress.host();
    }

    /**
     * Local runtime: a listener per workload port on the sidecar's address. Under capture: the virtualInbound
     * chains, except for Sidecar ingress listeners with captureMode NONE, which are sockets of their own.
     */
    private static List<Listener> inbound(PushContext push, ProxyNode proxy) {
        List<InboundPort> ports = new ArrayList<>();
        List<Listener> listeners = new ArrayList<>();
        for (InboundPort port : InboundPort.of(push, proxy)) {
            if (port.listenPort().isPresent()) {
                listeners.add(ownInboundListener("inbound_" + port.port(),
                        address(proxy.address(), port.listenPort().get()), inboundChain(push, proxy, port)));
            } else if (port.bind().isPresent()) {
                listeners.add(ownInboundListener(port.bind().get() + "_" + port.port(),
                        address(port.bind().get(), port.port()), inboundChain(push, proxy, port)));
            } else if (proxy.localPorts().isEmpty()) {
                ports.add(port);
            }
        }
        if (proxy.localPorts().isPresent()) {
            return listeners;
        }
        Listener.Builder virtualInbound = Listener.newBuilder()
                .setName(VIRTUAL_INBOUND)
                .setAddress(address("0.0.0.0", INBOUND_CAPTURE_PORT))
                // Only the original_dst filter, as Istio: chains match the original port; no hand-off to
                // outbound listeners that share the port number.
                .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.original_dst")
                        .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance())));
        ports.forEach(port -> virtualInbound.addFilterChains(inboundChain(push, proxy, port)));
        // Traffic to ports no service declares goes through to its original destination, as in Istio.
        virtualInbound.setDefaultFilterChain(FilterChain.newBuilder().setName(ClusterNames.PASSTHROUGH)
                .addFilters(NetworkFilters.tcpProxy("InboundPassthroughCluster",
                        WeightedTargets.single(ClusterNames.PASSTHROUGH))));
        listeners.add(virtualInbound.build());
        return listeners;
    }

    private static Listener ownInboundListener(String name, Address address, FilterChain chain) {
        return Listener.newBuilder()
                .setName(name)
                .setAddress(address)
                .addFilterChains(chain.toBuilder().clearFilterChainMatch())
                .build();
    }

    private static FilterChain inboundChain(PushContext push, ProxyNode proxy, InboundPort port) {
        String prefix = "inbound_0.0.0.0_" + port.port();
        FilterChain.Builder chain = FilterChain.newBuilder()
                .setName(ClusterNames.inbound(port.port()))
                .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port.port())));
        if (port.protocol().isHttp()) {
            chain.addFilters(NetworkFilters.httpInbound(prefix, port.port(),
                    InboundSecurityFilters.http(push, proxy, port.port())));
        } else {
            chain.addAllFilters(InboundSecurityFilters.tcp(push, proxy, port.port()));
            chain.addFilters(NetworkFilters.tcpProxy(prefix, WeightedTargets.single(ClusterNames.inbound(port.port()))));
        }
        return chain.build();
    }

    private static List<Listener> gateway(PushContext push, ProxyNode proxy) {
        // Servers share a listener when they bind the same port (Service 80 and a server on 8080 both to 8080).
        Map<Integer, List<Map.Entry<Resource<Gateway>, Server>>> byBoundPort = new TreeMap<>();
        for (Resource<Gateway> gateway : push.gatewaysFor(proxy)) {
            for (Server server : gateway.spec().servers()) {
                if (server.port() != null) {
                    byBoundPort.computeIfAbsent(GatewayPorts.targetPort(push, proxy, server.port().number()),
                            p -> new ArrayList<>()).add(Map.entry(gateway, server));
                }
            }
        }
        String bind = proxy.localPorts().isPresent() ? "127.0.0.1" : "0.0.0.0";
        List<HttpFilter> security = JwtAuthnFilters.forWorkload(push, proxy);
        List<Listener> listeners = new ArrayList<>();
        byBoundPort.forEach((bound, servers) -> {
            List<FilterChain> chains = new ArrayList<>();
            boolean http = false;
            boolean tls = false;
            for (Map.Entry<Resource<Gateway>, Server> entry : servers) {
                int port = entry.getValue().port().number();
                String gatewayKey = entry.getKey().namespace() + "/" + entry.getKey().name();
                Protocol protocol = Protocol.parse(entry.getValue().port().protocol());
                var terminated = GatewayTls.of(entry.getValue().tls());
                if (GatewayPorts.terminatesHttp(entry.getValue()) && terminated.isPresent()) {
                    chains.add(tlsTerminatingChain(entry.getValue(), terminated.get(), bound, security));
                } else if (GatewayPorts.terminatesHttp(entry.getValue())) {
                    http = true;
                } else if (protocol.isTls()) {
                    tls = true;
                    for (Resource<VirtualService> vs : push.virtualServices(gatewayKey, entry.getKey().namespace())) {
                        for (var rule : L4Routes.tls(vs, push, proxy, gatewayKey, port)) {
                            chains.add(OutboundPortListener.sniChain(rule.getKey(), rule.getValue()));
                        }
                    }
                } else {
                    for (Resource<VirtualService> vs : push.virtualServices(gatewayKey, entry.getKey().namespace())) {
                        var targets = L4Routes.tcp(vs, push, proxy, gatewayKey, port);
                        if (targets.isPresent() && chains.stream().noneMatch(c -> !c.hasFilterChainMatch())) {
                            chains.add(FilterChain.newBuilder().setName(gatewayKey)
                                    .addFilters(NetworkFilters.tcpProxy(targets.get().clusters().getFirst().name(),
                                            targets.get())).build());
                        }
                    }
                }
            }
            if (http) {
                chains.add(FilterChain.newBuilder().setName("http")
                        .addFilters(NetworkFilters.httpWithRds("outbound_0.0.0.0_" + bound,
                                RouteGenerator.gatewayRouteName(bound), true, security))
                        .build());
            }
            if (chains.isEmpty()) {
                return;
            }
            Listener.Builder listener = Listener.newBuilder()
                    .setName("0.0.0.0_" + bound)
                    .setAddress(address(bind, bound))
                    .addAllFilterChains(chains);
            if (tls || chains.stream().anyMatch(FilterChain::hasTransportSocket)) {
                listener.addListenerFilters(tlsInspector());
            }
            listeners.add(listener.build());
        });
        return listeners;
    }

    /** One chain per TLS-terminating server, chosen by SNI when the server names hosts. */
    private static FilterChain tlsTerminatingChain(Server server, io.envoyproxy.envoy.config.core.v3.TransportSocket tls,
            int bound, List<HttpFilter> security) {
        List<String> serverNames = server.hosts().stream()
                .map(h -> h.contains("/") ? h.substring(h.indexOf('/') + 1) : h)
                .filter(h -> !h.equals("*"))
                .distinct()
                .toList();
        FilterChain.Builder chain = FilterChain.newBuilder()
                .setName(server.port().name())
                .setTransportSocket(tls)
                .addFilters(NetworkFilters.httpWithRds("outbound_0.0.0.0_" + bound, RouteGenerator.gatewayRouteName(bound),
                        true, security));
        if (!serverNames.isEmpty()) {
            chain.setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(serverNames));
        }
        return chain.build();
    }

    static ListenerFilter tlsInspector() {
        return ListenerFilter.newBuilder().setName("envoy.filters.listener.tls_inspector")
                .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())).build();
    }

    static Address address(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }
}
