package dev.weft.xds.endpoint;

import dev.weft.xds.mesh.Locality;
import dev.weft.xds.mesh.WorkloadInstance;
import java.util.List;

/** Endpoints sharing a locality and a priority: one LocalityLbEndpoints of an assignment. */
record LocalityGroup(Locality locality, int priority, int weight, List<WorkloadInstance> workloads) {

    LocalityGroup {
        workloads = List.copyOf(workloads);
    }

    static LocalityGroup of(Locality locality, List<WorkloadInstance> workloads) {
        return new LocalityGroup(locality, 0, workloads.stream().mapToInt(WorkloadInstance::effectiveWeight).sum(),
                workloads);
    }

    LocalityGroup withPriority(int newPriority) {
        return new LocalityGroup(locality, newPriority, weight, workloads);
    }

    LocalityGroup withWeight(int newWeight) {
        return new LocalityGroup(locality, priority, newWeight, workloads);
    }
}
