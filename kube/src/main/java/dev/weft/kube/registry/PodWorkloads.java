package dev.weft.kube.registry;

import dev.weft.xds.mesh.Locality;
import dev.weft.xds.mesh.WorkloadInstance;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Pods as the mesh's workloads, as Istio's EndpointSlice controller makes them: an EndpointSlice decides which pods
 * are endpoints (a ready endpoint that names its pod) and what its port names mean on them; the pod gives the
 * labels services select by, the service account and the IP; its node gives the locality
 * ({@code topology.kubernetes.io/region}, {@code zone}, Istio's {@code topology.istio.io/subzone}). A pod that is not
 * Ready, is being deleted, has no IP or is not known (yet, or any more) is no endpoint.
 */
final class PodWorkloads {

    static final String REGION = "topology.kubernetes.io/region";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String SUBZONE = "topology.istio.io/subzone";

    private PodWorkloads() {
    }

    record NamespacedName(String namespace, String name) {
    }

    /** The workloads, sorted by namespace and name. */
    static List<WorkloadInstance> of(Map<NamespacedName, Pod> pods, Collection<EndpointSlice> slices, Map<String, Node> nodes) {
        Map<NamespacedName, Map<String, Integer>> portsByPod = new LinkedHashMap<>();
        slices.stream().sorted(Comparator.comparing((EndpointSlice s) -> s.getMetadata().getNamespace())
                .thenComparing(s -> s.getMetadata().getName())).forEach(slice -> {
            for (Endpoint endpoint : Optional.ofNullable(slice.getEndpoints()).orElse(List.of())) {
                podOf(slice, endpoint).filter(pod -> ready(endpoint)).ifPresent(pod -> {
                    Map<String, Integer> ports = portsByPod.computeIfAbsent(pod, k -> new LinkedHashMap<>());
                    for (EndpointPort port : Optional.ofNullable(slice.getPorts()).orElse(List.of())) {
                        if (port.getPort() != null) {
                            ports.putIfAbsent(Objects.requireNonNullElse(port.getName(), ""), port.getPort());
                        }
                    }
                });
            }
        });
        return portsByPod.entrySet().stream()
                .flatMap(e -> Optional.ofNullable(pods.get(e.getKey())).filter(PodWorkloads::serving)
                        .map(pod -> workload(pod, e.getValue(), nodes)).stream())
                .sorted(Comparator.comparing(WorkloadInstance::namespace).thenComparing(WorkloadInstance::name))
                .toList();
    }

    private static Optional<NamespacedName> podOf(EndpointSlice slice, Endpoint endpoint) {
        ObjectReference target = endpoint.getTargetRef();
        if (target == null || !"Pod".equals(target.getKind())) {
            return Optional.empty();
        }
        String namespace = target.getNamespace() == null ? slice.getMetadata().getNamespace() : target.getNamespace();
        return Optional.of(new NamespacedName(namespace, target.getName()));
    }

    /** Kubernetes' rule: an endpoint whose readiness is unknown counts as ready. */
    private static boolean ready(Endpoint endpoint) {
        return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
    }

    private static boolean serving(Pod pod) {
        boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return ready && pod.getMetadata().getDeletionTimestamp() == null
                && pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isEmpty();
    }

    private static WorkloadInstance workload(Pod pod, Map<String, Integer> ports, Map<String, Node> nodes) {
        String account = pod.getSpec() == null ? "" : Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "");
        Locality locality = Optional.ofNullable(pod.getSpec()).map(spec -> spec.getNodeName()).map(nodes::get)
                .map(node -> Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of()))
                .map(labels -> new Locality(labels.getOrDefault(REGION, ""), labels.getOrDefault(ZONE, ""),
                        labels.getOrDefault(SUBZONE, "")))
                .orElse(Locality.UNKNOWN);
        return new WorkloadInstance(pod.getMetadata().getName(), pod.getMetadata().getNamespace(),
                pod.getStatus().getPodIP(), ports, Map.of(),
                Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of()), locality, 0,
                account.isEmpty() ? "default" : account);
    }
}
