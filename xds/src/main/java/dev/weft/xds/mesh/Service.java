package dev.weft.xds.mesh;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A service in the mesh registry: a fully qualified host name owned by a namespace, with its ports.
 * {@code workloadSelector} is non-empty when endpoints are the workloads carrying those labels.
 */
public record Service(
        String hostname,
        String namespace,
        List<ServicePort> ports,
        Resolution resolution,
        Location location,
        ExportTo exportTo,
        List<String> addresses,
        Map<String, String> workloadSelector) {

    public Service {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(namespace, "namespace");
        ports = ports.stream().sorted(Comparator.comparingInt(ServicePort::number)).toList();
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(exportTo, "exportTo");
        addresses = List.copyOf(addresses);
        workloadSelector = Map.copyOf(workloadSelector);
    }

    public Optional<ServicePort> port(int number) {
        return ports.stream().filter(p -> p.number() == number).findFirst();
    }

    public boolean isVisibleTo(String clientNamespace) {
        return namespace.equals(clientNamespace) || exportTo.isVisibleTo(clientNamespace);
    }
}
