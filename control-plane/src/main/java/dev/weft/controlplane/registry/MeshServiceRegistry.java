package dev.weft.controlplane.registry;

import dev.weft.model.ConfigSnapshot;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.registry.ConfigRegistry;
import java.util.Objects;

/**
 * The aggregate registry: ServiceEntries, WorkloadEntries and Services from config, plus the workloads
 * that registered themselves. (The Kubernetes registry will be one more contributor.)
 */
public final class MeshServiceRegistry implements ServiceRegistry {

    private final AutoRegisteredWorkloads autoRegistered;
    private final String domainSuffix;

    public MeshServiceRegistry(AutoRegisteredWorkloads autoRegistered, String domainSuffix) {
        this.autoRegistered = Objects.requireNonNull(autoRegistered, "autoRegistered");
        this.domainSuffix = Objects.requireNonNull(domainSuffix, "domainSuffix");
    }

    @Override
    public RegistrySnapshot snapshot(ConfigSnapshot config) {
        return ConfigRegistry.build(config, autoRegistered.workloads(), domainSuffix);
    }

    @Override
    public void addEndpointListener(Runnable onChange) {
        autoRegistered.addListener(onChange);
    }
}
