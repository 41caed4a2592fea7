package dev.weft.xds.endpoint;

import com.google.protobuf.UInt32Value;
import dev.weft.model.networking.Subset;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.mesh.Locality;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Resolution;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.push.MergedDestinationRule;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * EDS: a ClusterLoadAssignment for every EDS cluster the proxy has, endpoints grouped by locality with
 * their weights; a subset's assignment holds only the workloads carrying its labels.
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
            List<Subset> subsets = push.destinationRule(proxy.namespace(), service)
                    .map(MergedDestinationRule::subsets).orElse(List.of());
            for (ServicePort port : service.ports()) {
                String name = ClusterNames.outbound(port.number(), null, service.hostname());
                assignments.put(name, assignment(name, instances.workloads(), port));
                for (Subset subset : subsets) {
                    String subsetName = ClusterNames.outbound(port.number(), subset.name(), service.hostname());
                    assignments.put(subsetName,
                            assignment(subsetName, PushContext.withLabels(instances, subset.labels()), port));
                }
            }
        }
        return List.copyOf(assignments.values());
    }

    private static ClusterLoadAssignment assignment(String name, List<WorkloadInstance> workloads, ServicePort port) {
        Map<Locality, List<WorkloadInstance>> byLocality = new TreeMap<>(LOCALITY_ORDER);
        for (WorkloadInstance workload : workloads) {
            byLocality.computeIfAbsent(workload.locality(), l -> new java.util.ArrayList<>()).add(workload);
        }
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name);
        byLocality.forEach((locality, members) -> {
            LocalityLbEndpoints.Builder group = LocalityLbEndpoints.newBuilder();
            if (!locality.equals(Locality.UNKNOWN)) {
                group.setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                        .setRegion(locality.region()).setZone(locality.zone()).setSubZone(locality.subzone()));
            }
            int total = 0;
            for (WorkloadInstance workload : members) {
                total += workload.effectiveWeight();
                group.addLbEndpoints(LbEndpoint.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                                SocketAddress.newBuilder().setAddress(workload.address())
                                        .setPortValue(workload.portFor(port)))))
                        .setLoadBalancingWeight(UInt32Value.of(workload.effectiveWeight())));
            }
            group.setLoadBalancingWeight(UInt32Value.of(total));
            cla.addEndpoints(group);
        });
        return cla.build();
    }
}
