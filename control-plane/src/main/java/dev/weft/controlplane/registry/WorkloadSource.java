package dev.weft.controlplane.registry;

import dev.weft.xds.mesh.WorkloadInstance;
import java.util.List;

/**
 * Workloads that services select by their labels: the sidecars that registered themselves, or a platform's pods.
 * The registry reads every source once per push.
 */
public interface WorkloadSource {

    /** The workloads as of now, sorted; an unchanged list may be the same instance. */
    List<WorkloadInstance> workloads();

    /** Called after the workloads changed. */
    void addListener(Runnable onChange);
}
