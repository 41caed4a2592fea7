package dev.weft.xds.registry;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import dev.weft.model.common.IntOrString;
import dev.weft.model.kube.ServiceSpec;
import dev.weft.model.networking.ServiceEntry;
import dev.weft.model.networking.WorkloadEntry;
import dev.weft.xds.mesh.ExportTo;
import dev.weft.xds.mesh.Locality;
import dev.weft.xds.mesh.Location;
import dev.weft.xds.mesh.Protocol;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.mesh.Resolution;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.mesh.WorkloadInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the mesh registry from configuration: ServiceEntries (with inline endpoints or a workload
 * selector), WorkloadEntries, and Kubernetes Services declared in YAML (the local runtime's services).
 * Workloads from other sources (sidecars that registered themselves) are passed in and selected by labels
 * like WorkloadEntries.
 */
public final class ConfigRegistry {

    /** The annotation by which a Kubernetes Service says which namespaces see it. */
    private static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

    private ConfigRegistry() {
    }

    public static RegistrySnapshot build(ConfigSnapshot config, List<WorkloadInstance> registeredWorkloads,
            String domainSuffix) {
        List<WorkloadInstance> selectable = new ArrayList<>(registeredWorkloads);
        for (Resource<WorkloadEntry> entry : config.workloadEntries()) {
            selectable.add(workload(entry.name(), entry.namespace(), entry.spec()));
        }
        List<ServiceInstances> services = new ArrayList<>();
        for (Resource<ServiceEntry> entry : config.serviceEntries()) {
            services.addAll(fromServiceEntry(entry, selectable));
        }
        for (Resource<ServiceSpec> kube : config.services()) {
            services.add(fromKubernetesService(kube, selectable, domainSuffix));
        }
        return new RegistrySnapshot(services);
    }

    private static List<ServiceInstances> fromServiceEntry(Resource<ServiceEntry> resource,
            List<WorkloadInstance> selectable) {
        ServiceEntry entry = resource.spec();
        List<ServicePort> ports = entry.ports().stream()
                .map(p -> new ServicePort(p.name(), p.number(), protocolOf(p.protocol(), p.name()), p.targetPort()))
                .toList();
        Map<String, String> selector = entry.workloadSelector() == null ? Map.of() : entry.workloadSelector().labels();
        List<WorkloadInstance> workloads = new ArrayList<>();
        for (int i = 0; i < entry.endpoints().size(); i++) {
            workloads.add(workload(resource.name() + "-" + i, resource.namespace(), entry.endpoints().get(i)));
        }
        if (entry.workloadSelector() != null) {
            workloads.addAll(select(selectable, resource.namespace(), selector));
        }
        List<ServiceInstances> services = new ArrayList<>();
        for (String host : entry.hosts()) {
            Service service = new Service(host, resource.namespace(), ports, resolution(entry.resolution()),
                    entry.location() == dev.weft.model.networking.Location.MESH_INTERNAL
                            ? Location.MESH_INTERNAL : Location.MESH_EXTERNAL,
                    ExportTo.of(entry.exportTo(), resource.namespace()), entry.addresses(), selector);
            services.add(new ServiceInstances(service, workloads));
        }
        return services;
    }

    private static Protocol protocolOf(String declared, String name) {
        return declared == null || declared.isEmpty() ? Protocol.infer(name, null) : Protocol.parse(declared);
    }

    private static Resolution resolution(dev.weft.model.networking.Resolution resolution) {
        return switch (resolution) {
            case NONE, DYNAMIC_DNS -> Resolution.NONE;
            case STATIC -> Resolution.STATIC;
            case DNS -> Resolution.DNS;
            case DNS_ROUND_ROBIN -> Resolution.DNS_ROUND_ROBIN;
        };
    }

    private static ServiceInstances fromKubernetesService(Resource<ServiceSpec> resource,
            List<WorkloadInstance> selectable, String domainSuffix) {
        ServiceSpec spec = resource.spec();
        List<ServicePort> ports = spec.ports().stream().map(p -> new ServicePort(
                p.name(), p.port(), kubeProtocol(p), targetPort(p.targetPort()))).toList();
        List<String> addresses = spec.clusterIP().isEmpty() || spec.clusterIP().equals("None")
                ? List.of() : List.of(spec.clusterIP());
        Service service = new Service(resource.name() + "." + resource.namespace() + ".svc." + domainSuffix,
                resource.namespace(), ports, Resolution.STATIC, Location.MESH_INTERNAL, exportTo(resource), addresses,
                spec.selector());
        List<WorkloadInstance> workloads = spec.selector().isEmpty()
                ? List.of() : select(selectable, resource.namespace(), spec.selector());
        return new ServiceInstances(service, workloads);
    }

    /** Istio's {@code networking.istio.io/exportTo} annotation: a comma-separated exportTo list; absent, everyone. */
    private static ExportTo exportTo(Resource<ServiceSpec> service) {
        String annotation = service.metadata().annotations().get(EXPORT_TO_ANNOTATION);
        return annotation == null || annotation.isBlank() ? ExportTo.ALL
                : ExportTo.of(List.of(annotation.trim().split("\\s*,\\s*")), service.namespace());
    }

    private static Protocol kubeProtocol(dev.weft.model.kube.ServicePort port) {
        if ("UDP".equals(port.protocol().toUpperCase(Locale.ROOT))) {
            return Protocol.UDP;
        }
        return Protocol.infer(port.name(), port.appProtocol());
    }

    /** A named target port cannot be resolved without pods; it then falls back to the service port. */
    private static int targetPort(IntOrString target) {
        return target != null && target.number() != null ? target.number() : 0;
    }

    private static List<WorkloadInstance> select(List<WorkloadInstance> workloads, String namespace,
            Map<String, String> selector) {
        return workloads.stream()
                .filter(w -> w.namespace().equals(namespace) && w.hasLabels(selector))
                .toList();
    }

    private static WorkloadInstance workload(String name, String namespace, WorkloadEntry entry) {
        return new WorkloadInstance(name, namespace, entry.address(), entry.ports(), Map.of(), entry.labels(),
                Locality.parse(entry.locality()), entry.weight(), entry.serviceAccount());
    }
}
