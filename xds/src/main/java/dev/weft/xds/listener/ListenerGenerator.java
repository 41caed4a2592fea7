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
import dev.weft.model.security.MtlsMode;
import dev.weft.model.telemetry.WorkloadMode;
import dev.weft.xds.cluster.AutoPassthrough;
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
import dev.weft.xds.security.IstioMutualTls;
import dev.weft.xds.security.PeerAuthenticationPolicy;
import dev.weft.xds.telemetry.IstioStatsFilters;
import dev.weft.model.networking.ServerTLSMode;
import dev.weft.xds.telemetry.MetadataExchangeFilters;
import dev.weft.xds.telemetry.ProxyTracing;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        ProxyTracing tracing = ProxyTracing.of(push, proxy);
        // Istio's Telemetry modes: a gateway's listeners are CLIENT, a sidecar's inbound ones SERVER.
        List<AccessLog> client = AccessLogs.of(push, proxy, WorkloadMode.CLIENT);
        List<Listener> generated = proxy.type() == ProxyType.ROUTER
                ? gateway(push, proxy).stream().map(l -> tracing.apply(l, TrafficDirection.UNSPECIFIED)).toList()
                : proxy.proxylessGrpc() ? proxyless(push, proxy)
                : sidecarOutbound(push, proxy, tracing);
        generated.forEach(l -> listeners.put(l.getName(), AccessLogs.apply(l, client)));
        if (proxy.type() != ProxyType.ROUTER && !proxy.proxylessGrpc()) {
            List<AccessLog> server = AccessLogs.of(push, proxy, WorkloadMode.SERVER);
            inbound(push, proxy).forEach(l -> listeners.put(l.getName(),
                    AccessLogs.apply(tracing.apply(l, TrafficDirection.INBOUND), server)));
        }
        return listeners.values().stream().map(l -> ServerHeaders.apply(l, push.mesh().serverHeader())).toList();
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

    private static List<Listener> sidecarOutbound(PushContext push, ProxyNode proxy, ProxyTracing tracing) {
        List<Listener> listeners = new ArrayList<>();
        boolean allowAny = push.sidecarScope(proxy).allowAnyOutbound();
        String fallback = allowAny ? ClusterNames.PASSTHROUGH : ClusterNames.BLACKHOLE;
        if (proxy.localPorts().isPresent()) {
            LocalPorts ports = proxy.localPorts().get();
            listeners.add(Listener.newBuilder()
                    .setName(LOCAL_OUTBOUND)
                    .setAddress(address(proxy.address(), ports.outbound()))
                    .addFilterChains(FilterChain.newBuilder().addFilters(
                            NetworkFilters.explicitHttpProxy("outbound_local", RouteGenerator.LOCAL_OUTBOUND,
                                    IstioStatsFilters.source(push, proxy))))
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
        List<Listener> traced = new ArrayList<>();
        listeners.forEach(l -> traced.add(tracing.apply(l, TrafficDirection.OUTBOUND)));
        return traced;
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
        PeerAuthenticationPolicy mtls = PeerAuthenticationPolicy.compose(push.peerAuthenticationsFor(proxy),
                push.mesh().rootNamespace());
        for (InboundPort port : InboundPort.of(push, proxy)) {
            if (port.listenPort().isPresent()) {
                listeners.add(ownInboundListener("inbound_" + port.port(),
                        address(proxy.address(), port.listenPort().get()), inboundChains(push, proxy, port, mtls)));
            } else if (port.bind().isPresent()) {
                listeners.add(ownInboundListener(port.bind().get() + "_" + port.port(),
                        address(port.bind().get(), port.port()), inboundChains(push, proxy, port, mtls)));
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
                // The original_dst filter, as Istio: chains match the original port; no hand-off to outbound
                // listeners that share the port number.
                .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.original_dst")
                        .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance())));
        ports.forEach(port -> virtualInbound.addAllFilterChains(inboundChains(push, proxy, port, mtls)));
        // Traffic to ports no service declares goes through to its original destination, as in Istio, under the
        // workload's policies: a STRICT workload takes it only over mutual TLS, and allow-nothing is not bypassed
        // by an undeclared port.
        FilterChain.Builder passthrough = FilterChain.newBuilder().setName(ClusterNames.PASSTHROUGH)
                .addFilters(MetadataExchangeFilters.listener())
                .addAllFilters(InboundSecurityFilters.tcp(push, proxy, 0))
                .addFilters(NetworkFilters.tcpProxy("InboundPassthroughCluster",
                        WeightedTargets.single(ClusterNames.PASSTHROUGH)));
        if (proxy.hasWorkloadCertificate() && mtls.workloadMode() == MtlsMode.STRICT) {
            passthrough.setTransportSocket(IstioMutualTls.downstream(false));
        }
        virtualInbound.setDefaultFilterChain(passthrough);
        if (virtualInbound.getFilterChainsList().stream()
                .anyMatch(c -> !c.getFilterChainMatch().getTransportProtocol().isEmpty())
                || passthrough.hasTransportSocket()) {
            virtualInbound.addListenerFilters(tlsInspector());
        }
        listeners.add(virtualInbound.build());
        return listeners;
    }

    /** A local-runtime or captureMode NONE port: its own socket, with the port's chains and no port match. */
    private static Listener ownInboundListener(String name, Address address, List<FilterChain> chains) {
        Listener.Builder listener = Listener.newBuilder().setName(name).setAddress(address);
        for (FilterChain chain : chains) {
            FilterChainMatch match = chain.getFilterChainMatch().toBuilder().clearDestinationPort().build();
            FilterChain.Builder own = chain.toBuilder().setFilterChainMatch(match);
            listener.addFilterChains(match.equals(FilterChainMatch.getDefaultInstance())
                    ? own.clearFilterChainMatch() : own);
        }
        if (chains.stream().anyMatch(c -> !c.getFilterChainMatch().getTransportProtocol().isEmpty())) {
            listener.addListenerFilters(tlsInspector());
        }
        return listener.build();
    }

    /**
     * A workload port's chains under its PeerAuthentication mode. DISABLE (and a proxy without a workload
     * certificate): plain text. STRICT: mutual TLS, and anything else closed. PERMISSIVE: mutual TLS for Istio's
     * ALPN, other TLS passed to the app as TCP (the app may terminate TLS itself), and plain text.
     */
    private static List<FilterChain> inboundChains(PushContext push, ProxyNode proxy, InboundPort port,
            PeerAuthenticationPolicy mtls) {
        MtlsMode mode = proxy.hasWorkloadCertificate() ? mtls.modeFor(port.port()) : MtlsMode.DISABLE;
        FilterChainMatch.Builder portMatch = FilterChainMatch.newBuilder()
                .setDestinationPort(UInt32Value.of(port.port()));
        FilterChain plain = inboundChain(push, proxy, port);
        FilterChain mutual = plain.toBuilder()
                .setName(plain.getName() + "-mtls")
                .setTransportSocket(IstioMutualTls.downstream(port.protocol().isHttp()))
                .build();
        return switch (mode) {
            case STRICT -> List.of(
                    mutual.toBuilder().setFilterChainMatch(portMatch.clone().setTransportProtocol("tls")).build(),
                    FilterChain.newBuilder().setName(plain.getName() + "-plaintext-refused")
                            .setFilterChainMatch(portMatch.clone())
                            .addFilters(NetworkFilters.tcpProxy("inbound_refused_" + port.port(),
                                    WeightedTargets.single(ClusterNames.BLACKHOLE)))
                            .build());
            case PERMISSIVE -> List.of(
                    mutual.toBuilder().setFilterChainMatch(portMatch.clone().setTransportProtocol("tls")
                            .addAllApplicationProtocols(IstioMutualTls.INBOUND_MATCH_ALPN)).build(),
                    FilterChain.newBuilder().setName(plain.getName() + "-tls-passthrough")
                            .setFilterChainMatch(portMatch.clone().setTransportProtocol("tls"))
                            .addFilters(NetworkFilters.tcpProxy("inbound_0.0.0.0_" + port.port(),
                                    WeightedTargets.single(ClusterNames.inbound(port.port()))))
                            .build(),
                    plain.toBuilder().setFilterChainMatch(portMatch.clone().setTransportProtocol("raw_buffer"))
                            .build());
            default -> List.of(plain);
        };
    }

    private static FilterChain inboundChain(PushContext push, ProxyNode proxy, InboundPort port) {
        String prefix = "inbound_0.0.0.0_" + port.port();
        FilterChain.Builder chain = FilterChain.newBuilder()
                .setName(ClusterNames.inbound(port.port()))
                .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port.port())));
        if (port.protocol().isHttp()) {
            chain.addFilters(NetworkFilters.httpInbound(prefix, port.port(),
                    IstioStatsFilters.destination(push, proxy, port.port()),
                    InboundSecurityFilters.http(push, proxy, port.port())));
        } else {
            chain.addFilters(MetadataExchangeFilters.listener());
            chain.addFilters(IstioStatsFilters.destinationTcp(push, proxy, port.port()));
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
        List<Listener> listeners = new ArrayList<>();
        byBoundPort.forEach((bound, servers) -> {
            // The gateway workload's own policies, as a sidecar's on its inbound ports.
            List<HttpFilter> httpSecurity = InboundSecurityFilters.http(push, proxy, bound);
            List<Filter> tcpSecurity = InboundSecurityFilters.tcp(push, proxy, bound);
            HttpFilter httpStats = IstioStatsFilters.source(push, proxy);
            Filter tcpStats = IstioStatsFilters.sourceTcp(push, proxy);
            List<FilterChain> chains = new ArrayList<>();
            boolean http = false;
            boolean tls = false;
            // Each SNI name routes once per listener: the first rule naming it wins, as Istio drops duplicates.
            Set<String> routedSni = new HashSet<>();
            for (Map.Entry<Resource<Gateway>, Server> entry : servers) {
                int port = entry.getValue().port().number();
                String gatewayKey = entry.getKey().namespace() + "/" + entry.getKey().name();
                Protocol protocol = Protocol.parse(entry.getValue().port().protocol());
                boolean terminatesHttp = GatewayPorts.terminatesHttp(entry.getValue());
                // TLS settings of a plain HTTP server only matter for httpsRedirect, as in Istio.
                var terminated = protocol.isTls() ? GatewayTls.of(entry.getValue().tls(), terminatesHttp, proxy)
                        : Optional.<io.envoyproxy.envoy.config.core.v3.TransportSocket>empty();
                if (protocol.isTls() && terminated.isEmpty() && entry.getValue().tls() != null
                        && GatewayTls.terminates(entry.getValue().tls().mode())) {
                    // ISTIO_MUTUAL on a gateway without a workload certificate: not served at all, never in plain text.
                    continue;
                }
                if (terminatesHttp && terminated.isPresent()) {
                    chains.add(tlsTerminatingChain(entry.getValue(), terminated.get(),
                            List.of(NetworkFilters.httpWithRds("outbound_0.0.0.0_" + bound,
                                    RouteGenerator.gatewayRouteName(bound), true, httpStats, httpSecurity))));
                } else if (terminatesHttp) {
                    http = true;
                } else if (protocol == Protocol.TLS && terminated.isPresent()) {
                    // TLS terminated here, then the VirtualService's tcp routes, as Istio does for a TLS server
                    // that is not passthrough.
                    for (Resource<VirtualService> vs : push.virtualServices(gatewayKey, entry.getKey().namespace())) {
                        var targets = L4Routes.tcp(vs, push, proxy, gatewayKey, port);
                        if (targets.isPresent()) {
                            List<Filter> filters = new ArrayList<>();
                            if (entry.getValue().tls().mode() == ServerTLSMode.ISTIO_MUTUAL) {
                                filters.add(MetadataExchangeFilters.listener());
                            }
                            filters.add(tcpStats);
                            filters.addAll(tcpSecurity);
                            filters.add(NetworkFilters.tcpProxy(targets.get().clusters().getFirst().name(),
                                    targets.get()));
                            chains.add(tlsTerminatingChain(entry.getValue(), terminated.get(), filters));
                            break;
                        }
                    }
                } else if (protocol.isTls() && AutoPassthrough.is(entry.getValue())) {
                    tls = true;
                    for (AutoPassthrough.Target target : AutoPassthrough.targets(push, proxy, entry.getKey(),
                            entry.getValue())) {
                        if (routedSni.add(target.sni())) {
                            chains.add(securedSniChain(List.of(target.sni()), WeightedTargets.single(target.sni()),
                                    tcpSecurity, tcpStats));
                        }
                    }
                } else if (protocol.isTls()) {
                    tls = true;
                    chains.addAll(passthroughChains(push, proxy, entry.getKey(), entry.getValue(), tcpSecurity,
                            routedSni));
                } else {
                    for (Resource<VirtualService> vs : push.virtualServices(gatewayKey, entry.getKey().namespace())) {
                        var targets = L4Routes.tcp(vs, push, proxy, gatewayKey, port);
                        if (targets.isPresent() && chains.stream().noneMatch(c -> !c.hasFilterChainMatch())) {
                            chains.add(FilterChain.newBuilder().setName(gatewayKey)
                                    .addFilters(tcpStats)
                                    .addAllFilters(tcpSecurity)
                                    .addFilters(NetworkFilters.tcpProxy(targets.get().clusters().getFirst().name(),
                                            targets.get())).build());
                        }
                    }
                }
            }
            if (http) {
                chains.add(FilterChain.newBuilder().setName("http")
                        .addFilters(NetworkFilters.httpWithRds("outbound_0.0.0.0_" + bound,
                                RouteGenerator.gatewayRouteName(bound), true, IstioStatsFilters.source(push, proxy),
                                httpSecurity))
                        .build());
            }
            if (chains.isEmpty()) {
                return;
            }
            // A local-runtime gateway may bind its port elsewhere (another mesh of this machine has it): the port its
            // WEFT_LOCAL_PORTS maps it to, as a sidecar's workload ports are mapped.
            int listen = proxy.localPorts().flatMap(p -> p.forPort(bound)).map(LocalPorts.WorkloadPort::proxy)
                    .orElse(bound);
            Listener.Builder listener = Listener.newBuilder()
                    .setName("0.0.0.0_" + bound)
                    .setAddress(address(bind, listen))
                    .addAllFilterChains(chains);
            if (tls || chains.stream().anyMatch(FilterChain::hasTransportSocket)) {
                listener.addListenerFilters(tlsInspector());
            }
            listeners.add(listener.build());
        });
        return listeners;
    }

    /**
     * TLS passed through by SNI, as Istio: the VirtualServices bound to the gateway whose hosts the server admits,
     * their tls rules whose match names this port and gateway, one chain per rule with the SNI names not routed
     * yet on the listener.
     */
    private static List<FilterChain> passthroughChains(PushContext push, ProxyNode proxy, Resource<Gateway> gateway,
            Server server, List<Filter> tcpSecurity, Set<String> routedSni) {
        String gatewayKey = gateway.namespace() + "/" + gateway.name();
        List<FilterChain> chains = new ArrayList<>();
        for (Resource<VirtualService> vs : push.virtualServices(gatewayKey, gateway.namespace())) {
            if (RouteGenerator.attachedHosts(gateway, server, vs).isEmpty()) {
                continue;
            }
            for (var rule : L4Routes.tls(vs, push, proxy, gatewayKey, server.port().number())) {
                List<String> sni = rule.getKey().stream().filter(routedSni::add).toList();
                if (!sni.isEmpty()) {
                    chains.add(securedSniChain(sni, rule.getValue(), tcpSecurity,
                            IstioStatsFilters.sourceTcp(push, proxy)));
                }
            }
        }
        return chains;
    }

    /** A chain by SNI to its targets, behind the gateway workload's network security filters. */
    private static FilterChain securedSniChain(List<String> sni, WeightedTargets targets, List<Filter> security,
            Filter stats) {
        FilterChain chain = OutboundPortListener.sniChain(sni, targets, List.of(stats));
        return chain.toBuilder().clearFilters().addAllFilters(security).addAllFilters(chain.getFiltersList()).build();
    }

    /** One chain per TLS-terminating server, chosen by SNI when the server names hosts. */
    private static FilterChain tlsTerminatingChain(Server server, io.envoyproxy.envoy.config.core.v3.TransportSocket tls,
            List<Filter> filters) {
        List<String> serverNames = server.hosts().stream()
                .map(h -> h.contains("/") ? h.substring(h.indexOf('/') + 1) : h)
                .filter(h -> !h.equals("*"))
                .distinct()
                .toList();
        FilterChain.Builder chain = FilterChain.newBuilder()
                .setName(server.port().name())
                .setTransportSocket(tls)
                .addAllFilters(filters);
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
