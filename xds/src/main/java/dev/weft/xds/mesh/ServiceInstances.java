package dev.weft.xds.mesh;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** A service and the workloads that back it, sorted by address then name for deterministic output. */
public record ServiceInstances(Service service, List<WorkloadInstance> workloads) {

    public ServiceInstances {
        Objects.requireNonNull(service, "service");
        workloads = workloads.stream()
                .sorted(Comparator.comparing(WorkloadInstance::address).thenComparing(WorkloadInstance::name))
                .toList();
    }
}
