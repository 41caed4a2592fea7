package dev.weft.xds.endpoint;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.weft.model.networking.Subset;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.mesh.Locality;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Resolution;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.push.EffectivePolicy;
import dev.weft.xds.push.MergedDestinationRule;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.security.PeerAuthenticationPolicy;
import dev.weft.model.security.MtlsMode;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * EDS: a ClusterLoadAssignment for every EDS cluster the proxy has, endpoints grouped by locality with
 * their weights; a subset's assignment holds only the workloads carrying its labels. Locality load balancing
 * makes the assignment depend on the client proxy's locality (and, for failoverPriority, its labels).
 */
public final class EndpointGenerator {

    private static final Comparator<Locality> LOCALITY_ORDER = Comparator.comparing(Locality::region)
            .thenComparing(Locality::zone).thenComparing(Locality::subzone);

    private EndpointGenerator() {
    }

    public static List<ClusterLoadAssignment> generate(PushContext push, ProxyNode proxy) {
        Map<String, ClusterLoadAssignment> assignments = new TreeMap<>();
        for (ServiceInstances instances : push.servicesFor(proxy)) {
            Service service = instances.service();
            if (service.resolution() != Resolution.STATIC) {
                continue;
            }
            Optional<MergedDestinationRule> rule = push.destinationRule(proxy.namespace(), service);
            List<Subset> subsets = rule.map(MergedDestinationRule::subsets).orElse(List.of());
            for (ServicePort port : service.ports()) {
                String name = ClusterNames.outbound(port.number(), null, service.hostname());
                assignments.put(name, assignment(name, instances.workloads(), port, policy(rule, port, null), push, proxy));
                for (Subset subset : subsets) {
                    String subsetName = ClusterNames.outbound(port.number(), subset.name(), service.hostname());
                    assignments.put(subsetName, assignment(subsetName, PushContext.withLabels(instances, subset.labels()),
                            port, policy(rule, port, subset.name()), push, proxy));
                }
            }
        }
        return List.copyOf(assignments.values());
    }

    private static EffectivePolicy policy(Optional<MergedDestinationRule> rule, ServicePort port, String subset) {
        return rule.map(r -> r.policyFor(port.number(), subset)).orElse(EffectivePolicy.DEFAULTS);
    }

    /**
     * The workloads' endpoints for {@code port}, grouped by locality with their weights and locality load
     * balancing applied for {@code proxy}; DNS clusters carry the same assignment inline.
     */
    /** The label sidecar injection puts on a workload with a sidecar: {@code istio} when it accepts mutual TLS. */
    public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";
    public static final String TRANSPORT_SOCKET_MATCH = "envoy.transport_socket_match";

    /**
     * Whether the workload's port takes mutual TLS under its own PeerAuthentication. Istio's clients guess from
     * the namespace's policy, so a workload-level DISABLE needs a DestinationRule there; weftd knows each
     * workload's mode and marks the endpoint, so auto mTLS follows it.
     */
    private static boolean acceptsMutualTls(PushContext push, WorkloadInstance workload, ServicePort port) {
        return PeerAuthenticationPolicy.compose(push.peerAuthenticationsFor(workload.namespace(), workload.labels()),
                push.mesh().rootNamespace()).modeFor(workload.targetPortFor(port)) != MtlsMode.DISABLE;
    }

    /** Whether the workload has a sidecar that accepts mesh mTLS. */
    public static boolean isMeshWorkload(WorkloadInstance workload) {
        return "istio".equals(workload.labels().get(TLS_MODE_LABEL));
    }

    public static ClusterLoadAssignment assignment(String name, List<WorkloadInstance> workloads, ServicePort port,
            EffectivePolicy policy, PushContext push, ProxyNode proxy) {
        Map<Locality, List<WorkloadInstance>> byLocality = new TreeMap<>(LOCALITY_ORDER);
        for (WorkloadInstance workload : workloads) {
            byLocality.computeIfAbsent(workload.locality(), l -> new java.util.ArrayList<>()).add(workload);
        }
        List<LocalityGroup> groups = byLocality.entrySet().stream()
                .map(e -> LocalityGroup.of(e.getKey(), e.getValue())).toList();
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name);
        for (LocalityGroup localityGroup : LocalityLoadBalancing.apply(groups, policy, proxy)) {
            Locality locality = localityGroup.locality();
            LocalityLbEndpoints.Builder group = LocalityLbEndpoints.newBuilder().setPriority(localityGroup.priority());
            if (!locality.equals(Locality.UNKNOWN)) {
                group.setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                        .setRegion(locality.region()).setZone(locality.zone()).setSubZone(locality.subzone()));
            }
            for (WorkloadInstance workload : localityGroup.workloads()) {
                LbEndpoint.Builder endpoint = LbEndpoint.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                                SocketAddress.newBuilder().setAddress(workload.address())
                                        .setPortValue(workload.portFor(port)))))
                        .setLoadBalancingWeight(UInt32Value.of(workload.effectiveWeight()));
                String tlsMode = workload.labels().get(TLS_MODE_LABEL);
                if (tlsMode != null && acceptsMutualTls(push, workload, port)) {
                    // What auto mTLS picks the transport socket by, as Istio marks endpoints with a sidecar.
                    endpoint.setMetadata(Metadata.newBuilder().putFilterMetadata(TRANSPORT_SOCKET_MATCH,
                            Struct.newBuilder().putFields("tlsMode", Value.newBuilder().setStringValue(tlsMode).build())
                                    .build()));
                }
                group.addLbEndpoints(endpoint);
            }
            group.setLoadBalancingWeight(UInt32Value.of(localityGroup.weight()));
            cla.addEndpoints(group);
        }
        return cla.build();
    }
}
