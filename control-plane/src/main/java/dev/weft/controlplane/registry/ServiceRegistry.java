package dev.weft.controlplane.registry;

import dev.weft.model.ConfigSnapshot;
import dev.weft.xds.mesh.RegistrySnapshot;

/** The services of the mesh and the workloads behind them, as of now. */
public interface ServiceRegistry {

    /** The registry as of now, with config-defined services taken from {@code config} (read once per push). */
    RegistrySnapshot snapshot(ConfigSnapshot config);

    /** Called when only endpoints changed (a workload came or went); config changes come from the ConfigStore. */
    void addEndpointListener(Runnable onChange);
}
