package dev.weft.xds.mesh;

import java.util.Comparator;
import java.util.List;

/** Every service known to the mesh at one moment, with its workloads. Immutable. */
public record RegistrySnapshot(List<ServiceInstances> services) {

    public static final RegistrySnapshot EMPTY = new RegistrySnapshot(List.of());

    public RegistrySnapshot {
        services = services.stream()
                .sorted(Comparator.comparing((ServiceInstances s) -> s.service().hostname())
                        .thenComparing(s -> s.service().namespace()))
                .toList();
    }
}
