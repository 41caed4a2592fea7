package dev.weft.xds.cluster;

import dev.weft.model.networking.Subset;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ProxyType;
import dev.weft.xds.mesh.Resolution;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.endpoint.EndpointGenerator;
import dev.weft.xds.push.EffectivePolicy;
import dev.weft.xds.push.MergedDestinationRule;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.telemetry.MetadataExchangeFilters;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CDS: one outbound cluster per visible service port, one more per DestinationRule subset, inbound clusters
 * for the proxy's own workload ports, and the passthrough and blackhole clusters. Pure and sorted by name.
 */
public final class ClusterGenerator {

    private ClusterGenerator() {
    }

    public static List<Cluster> generate(PushContext push, ProxyNode proxy) {
        Map<String, Cluster> clusters = new TreeMap<>();
        for (ServiceInstances instances : push.servicesFor(proxy)) {
            Service service = instances.service();
            Optional<MergedDestinationRule> rule = push.destinationRule(proxy.namespace(), service);
            for (ServicePort port : service.ports()) {
                Cluster base = outbound(service, instances, port, null, rule, push, proxy);
                clusters.put(base.getName(), base);
                for (Subset subset : rule.map(MergedDestinationRule::subsets).orElse(List.of())) {
                    Cluster cluster = outbound(service, instances, port, subset, rule, push, proxy);
                    clusters.put(cluster.getName(), cluster);
                }
            }
        }
        for (AutoPassthrough.Target target : AutoPassthrough.targets(push, proxy)) {
            Cluster outbound = clusters.get(target.outboundCluster());
            if (outbound != null) {
                // The caller's sidecar already speaks mutual TLS to the endpoint: the gateway adds no TLS of its own.
                Cluster.Builder sniDnat = outbound.toBuilder().setName(target.sni()).clearTransportSocket()
                        .clearTransportSocketMatches();
                if (sniDnat.hasLoadAssignment()) {
                    sniDnat.getLoadAssignmentBuilder().setClusterName(target.sni());
                }
                clusters.put(target.sni(), sniDnat.build());
            }
        }
        if (proxy.type() == ProxyType.SIDECAR) {
            for (InboundPort inbound : InboundPort.of(push, proxy)) {
                Cluster.Builder cluster = inboundCluster(inbound).toBuilder();
                var pool = push.sidecarScope(proxy).inboundConnectionPool(inbound.port());
                // As Istio's setUpstreamProtocol: a gRPC or HTTP/2 port reaches its app over h2 (gRPC has no HTTP/1).
                if (pool.isPresent() || inbound.protocol().isHttp2()) {
                    ClusterPolicies.applyConnectionPool(cluster, pool.orElse(null), inbound.protocol().isHttp2());
                }
                clusters.put(cluster.getName(), cluster.build());
            }
        }
        clusters.put(ClusterNames.BLACKHOLE, Cluster.newBuilder()
                .setName(ClusterNames.BLACKHOLE)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(Durations.seconds(10))
                .build());
        // Without capture there is no original destination: a local-runtime sidecar, an app's HTTP proxy, goes to the
        // host the request names, resolved by name as Envoy's dynamic forward proxy does.
        Cluster.Builder passthrough = proxy.localPorts().isPresent()
                ? DynamicForwardProxy.cluster(ClusterNames.PASSTHROUGH)
                : Cluster.newBuilder().setName(ClusterNames.PASSTHROUGH).setType(Cluster.DiscoveryType.ORIGINAL_DST)
                        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
        clusters.put(ClusterNames.PASSTHROUGH, passthrough.setConnectTimeout(Durations.seconds(10)).build());
        return List.copyOf(clusters.values());
    }

    private static Cluster outbound(Service service, ServiceInstances instances, ServicePort port, Subset subset,
            Optional<MergedDestinationRule> rule, PushContext push, ProxyNode proxy) {
        String name = ClusterNames.outbound(port.number(), subset == null ? null : subset.name(), service.hostname());
        EffectivePolicy policy = rule.map(r -> r.policyFor(port.number(), subset == null ? null : subset.name()))
                .orElse(EffectivePolicy.DEFAULTS);
        Cluster.Builder cluster = Cluster.newBuilder().setName(name);
        switch (service.resolution()) {
            case NONE -> cluster.setType(Cluster.DiscoveryType.ORIGINAL_DST);
            case DNS, DNS_ROUND_ROBIN -> {
                cluster.setType(service.resolution() == Resolution.DNS
                        ? Cluster.DiscoveryType.STRICT_DNS : Cluster.DiscoveryType.LOGICAL_DNS);
                cluster.setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY);
                cluster.setLoadAssignment(dnsAssignment(name, instances, port,
                        subset == null ? Map.of() : subset.labels(), policy, push, proxy));
            }
            case STATIC -> cluster.setType(Cluster.DiscoveryType.EDS).setEdsClusterConfig(
                    Cluster.EdsClusterConfig.newBuilder().setServiceName(name).setEdsConfig(ads()));
        }
        ClusterPolicies.apply(cluster, policy, port.protocol().isHttp2());
        ClientTls.apply(cluster, policy.tls(), push, proxy, instances, port, subset == null ? null : subset.name());
        if (!proxy.proxylessGrpc()) {
            cluster.addFilters(MetadataExchangeFilters.cluster());
        }
        if (cluster.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
            originalDestinationFromAuthority(cluster, proxy);
        }
        return cluster.build();
    }

    /**
     * A local-runtime sidecar is dialled as an HTTP proxy, not reached through capture: the connection's own
     * destination is the sidecar, so the original destination is the request's authority ({@code ip:port}).
     */
    private static void originalDestinationFromAuthority(Cluster.Builder cluster, ProxyNode proxy) {
        if (proxy.localPorts().isPresent()) {
            cluster.setOriginalDstLbConfig(Cluster.OriginalDstLbConfig.newBuilder()
                    .setUseHttpHeader(true)
                    .setHttpHeaderName(":authority"));
        }
    }

    static ConfigSource ads() {
        return ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)
                .build();
    }

    /**
     * DNS clusters carry their endpoints inline (by locality, as EDS would); with no endpoints at all the host
     * name itself is resolved.
     */
    private static ClusterLoadAssignment dnsAssignment(String name, ServiceInstances instances, ServicePort port,
            Map<String, String> labels, EffectivePolicy policy, PushContext push, ProxyNode proxy) {
        if (instances.workloads().isEmpty()) {
            return ClusterLoadAssignment.newBuilder()
                    .setClusterName(name)
                    .addEndpoints(LocalityLbEndpoints.newBuilder()
                            .addLbEndpoints(endpoint(instances.service().hostname(), port.effectiveTargetPort())))
                    .build();
        }
        List<WorkloadInstance> workloads = instances.workloads().stream().filter(w -> w.hasLabels(labels)).toList();
        return EndpointGenerator.assignment(name, workloads, port, policy, push, proxy);
    }

    static LbEndpoint endpoint(String address, int port) {
        return LbEndpoint.newBuilder()
                .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder().setAddress(
                        Address.newBuilder().setSocketAddress(
                                SocketAddress.newBuilder().setAddress(address).setPortValue(port))))
                .build();
    }

    /** Where the app listens: an IP address and port, or a unix socket (Envoy's pipe address). */
    private static Cluster inboundCluster(InboundPort inbound) {
        String name = ClusterNames.inbound(inbound.port());
        LbEndpoint endpoint = inbound.appAddress().startsWith(InboundPort.UNIX_PREFIX)
                ? LbEndpoint.newBuilder().setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                        .setAddress(Address.newBuilder().setPipe(Pipe.newBuilder()
                                .setPath(inbound.appAddress().substring(InboundPort.UNIX_PREFIX.length()))))).build()
                : endpoint(inbound.appAddress(), inbound.appPort());
        return Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(Durations.seconds(10))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                        .setClusterName(name)
                        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(endpoint)))
                .build();
    }
}
