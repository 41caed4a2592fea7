package dev.weft.xds.listener;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.weft.model.Resource;
import dev.weft.model.networking.VirtualService;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.push.HostMatch;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.route.RouteGenerator;
import dev.weft.xds.telemetry.IstioStatsFilters;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbound listener of one port number, as Istio builds it: a tcp_proxy chain per TCP service (VirtualService
 * tcp routes decide the clusters), SNI chains per TLS service (tls routes), one HTTP connection manager for the
 * HTTP services (routes over RDS named by the port), and the fallback for anything else.
 */
final class OutboundPortListener {

    /** A service reached on this listener's port. */
    record Target(Service service, ServicePort port) {
    }

    private OutboundPortListener() {
    }

    /**
     * @param matchCidrs whether TCP services are told apart by their CIDR addresses (the shared wildcard listener
     *     under capture); otherwise the first TCP service takes every connection the other chains do not
     */
    static Listener build(String name, Address address, boolean bindToPort, int port, List<Target> targets,
            boolean matchCidrs, PushContext push, ProxyNode proxy, String fallback) {
        List<Resource<VirtualService>> virtualServices = push.virtualServices(PushContext.MESH_GATEWAY, proxy.namespace());
        List<FilterChain> chains = new ArrayList<>();
        boolean http = targets.stream().anyMatch(t -> t.port().protocol().isHttp());
        boolean needsTlsInspector = false;
        boolean defaultTaken = http;
        String prefix = "outbound_" + address.getSocketAddress().getAddress() + "_" + port;
        List<Filter> stats = List.of(IstioStatsFilters.sourceTcp(push, proxy));
        for (Target target : targets) {
            Service service = target.service();
            if (target.port().protocol().isHttp()) {
                continue;
            }
            if (target.port().protocol().isTls()) {
                needsTlsInspector = true;
                chains.addAll(tlsChains(service, port, virtualServices, push, proxy, stats));
                continue;
            }
            WeightedTargets clusters = tcpTargets(service, port, virtualServices, push, proxy);
            List<String> cidrs = matchCidrs ? service.addresses() : List.of();
            if (!cidrs.isEmpty()) {
                FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
                cidrs.forEach(a -> match.addPrefixRanges(cidr(a)));
                chains.add(tcpChain(service.hostname(), clusters, stats).toBuilder().setFilterChainMatch(match).build());
            } else if (!defaultTaken) {
                defaultTaken = true;
                chains.add(tcpChain(service.hostname(), clusters, stats));
            }
        }
        if (http) {
            chains.add(FilterChain.newBuilder().setName("http")
                    .addFilters(NetworkFilters.httpWithRds(prefix, RouteGenerator.sidecarRouteName(port), false,
                            IstioStatsFilters.source(push, proxy)))
                    .build());
        }
        Listener.Builder listener = Listener.newBuilder()
                .setName(name)
                .setAddress(address)
                .addAllFilterChains(chains);
        if (!bindToPort) {
            listener.setBindToPort(BoolValue.of(false));
        }
        if (!defaultTaken) {
            listener.setDefaultFilterChain(FilterChain.newBuilder().setName(fallback)
                    .addFilters(NetworkFilters.tcpProxy(fallback, WeightedTargets.single(fallback))));
        }
        if (needsTlsInspector) {
            listener.addListenerFilters(ListenerGenerator.tlsInspector());
        }
        return listener.build();
    }

    /** {@code ahead}: the network filters before tcp_proxy (Istio's stats filter, or none). */
    private static FilterChain tcpChain(String name, WeightedTargets clusters, List<Filter> ahead) {
        return FilterChain.newBuilder().setName(name)
                .addAllFilters(ahead)
                .addFilters(NetworkFilters.tcpProxy(clusters.clusters().getFirst().name(), clusters)).build();
    }

    private static WeightedTargets tcpTargets(Service service, int port, List<Resource<VirtualService>> virtualServices,
            PushContext push, ProxyNode proxy) {
        for (Resource<VirtualService> vs : virtualServices) {
            if (vs.spec().hosts().stream().anyMatch(h -> HostMatch.matches(h, service.hostname()))) {
                var targets = L4Routes.tcp(vs, push, proxy, PushContext.MESH_GATEWAY, port);
                if (targets.isPresent()) {
                    return targets.get();
                }
            }
        }
        return WeightedTargets.single(ClusterNames.outbound(port, null, service.hostname()));
    }

    private static List<FilterChain> tlsChains(Service service, int port, List<Resource<VirtualService>> virtualServices,
            PushContext push, ProxyNode proxy, List<Filter> stats) {
        List<FilterChain> chains = new ArrayList<>();
        for (Resource<VirtualService> vs : virtualServices) {
            if (vs.spec().hosts().stream().anyMatch(h -> HostMatch.matches(h, service.hostname()))) {
                for (var rule : L4Routes.tls(vs, push, proxy, PushContext.MESH_GATEWAY, port)) {
                    chains.add(sniChain(rule.getKey(), rule.getValue(), stats));
                }
            }
        }
        if (chains.isEmpty()) {
            chains.add(sniChain(List.of(service.hostname()),
                    WeightedTargets.single(ClusterNames.outbound(port, null, service.hostname())), stats));
        }
        return chains;
    }

    static FilterChain sniChain(List<String> serverNames, WeightedTargets targets, List<Filter> ahead) {
        return tcpChain(String.join(",", serverNames), targets, ahead).toBuilder()
                .setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(serverNames))
                .build();
    }

    private static CidrRange cidr(String address) {
        int slash = address.indexOf('/');
        String ip = slash < 0 ? address : address.substring(0, slash);
        int length = slash < 0 ? (ip.contains(":") ? 128 : 32) : Integer.parseInt(address.substring(slash + 1));
        return CidrRange.newBuilder().setAddressPrefix(ip).setPrefixLen(UInt32Value.of(length)).build();
    }
}
