package dev.weft.controlplane.registry;

import dev.weft.controlplane.config.ConfigStore;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.registry.ConfigRegistry;
import java.util.Objects;

/**
 * The aggregate registry: ServiceEntries, WorkloadEntries and Services from the config store, plus the
 * workloads that registered themselves. (The Kubernetes registry will be one more contributor.)
 */
public final class MeshServiceRegistry implements ServiceRegistry {

    private final ConfigStore config;
    private final AutoRegisteredWorkloads autoRegistered;
    private final String domainSuffix;

    public MeshServiceRegistry(ConfigStore config, AutoRegisteredWorkloads autoRegistered, String domainSuffix) {
        this.config = Objects.requireNonNull(config, "config");
        this.autoRegistered = Objects.requireNonNull(autoRegistered, "autoRegistered");
        this.domainSuffix = Objects.requireNonNull(domainSuffix, "domainSuffix");
    }

    @Override
    public RegistrySnapshot snapshot() {
        return ConfigRegistry.build(config.snapshot(), autoRegistered.workloads(), domainSuffix);
    }

    @Override
    public void addEndpointListener(Runnable onChange) {
        autoRegistered.addListener(onChange);
    }
}
