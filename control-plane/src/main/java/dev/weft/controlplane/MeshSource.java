package dev.weft.controlplane;

import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.registry.WorkloadSource;

/**
 * A platform weftd serves (a Kubernetes cluster): config laid beneath the applied config, above the watched
 * directory, and workloads the services select. Started by its maker; {@link Weftd} closes it when it closes.
 */
public interface MeshSource extends AutoCloseable {

    ConfigStore config();

    WorkloadSource workloads();

    /** Stops watching the platform. */
    @Override
    void close();
}
