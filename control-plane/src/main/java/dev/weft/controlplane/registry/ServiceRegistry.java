package dev.weft.controlplane.registry;

import dev.weft.xds.mesh.RegistrySnapshot;

/** The services of the mesh and the workloads behind them, as of now. */
public interface ServiceRegistry {

    RegistrySnapshot snapshot();

    /** Called when only endpoints changed (a workload came or went); config changes come from the ConfigStore. */
    void addEndpointListener(Runnable onChange);
}
