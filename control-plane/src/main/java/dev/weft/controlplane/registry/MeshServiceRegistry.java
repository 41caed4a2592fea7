package dev.weft.controlplane.registry;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.registry.ConfigRegistry;
import java.util.List;
import java.util.Objects;

/**
 * The aggregate registry: ServiceEntries, WorkloadEntries and Services from config, plus the workloads
 * that registered themselves. (The Kubernetes registry will be one more contributor.)
 *
 * <p>Building it matches every service's selector against every workload, which with 5,000 registered sidecars was
 * a quarter of a routing push's CPU; so a snapshot whose inputs did not change is the previous one.
 */
public final class MeshServiceRegistry implements ServiceRegistry {

    /** Everything {@link ConfigRegistry#build} reads. */
    private record Inputs(List<? extends Resource<?>> serviceEntries, List<? extends Resource<?>> workloadEntries,
            List<? extends Resource<?>> services, List<WorkloadInstance> registered) {

        static Inputs of(ConfigSnapshot config, List<WorkloadInstance> registered) {
            return new Inputs(config.serviceEntries(), config.workloadEntries(), config.services(), registered);
        }
    }

    private record Built(Inputs inputs, RegistrySnapshot snapshot) {
    }

    private final AutoRegisteredWorkloads autoRegistered;
    private final String domainSuffix;
    private volatile Built last;

    public MeshServiceRegistry(AutoRegisteredWorkloads autoRegistered, String domainSuffix) {
        this.autoRegistered = Objects.requireNonNull(autoRegistered, "autoRegistered");
        this.domainSuffix = Objects.requireNonNull(domainSuffix, "domainSuffix");
    }

    @Override
    public RegistrySnapshot snapshot(ConfigSnapshot config) {
        List<WorkloadInstance> registered = autoRegistered.workloads();
        Inputs inputs = Inputs.of(config, registered);
        Built before = last;
        if (before != null && before.inputs().equals(inputs)) {
            return before.snapshot();
        }
        RegistrySnapshot snapshot = ConfigRegistry.build(config, registered, domainSuffix);
        last = new Built(inputs, snapshot);
        return snapshot;
    }

    @Override
    public void addEndpointListener(Runnable onChange) {
        autoRegistered.addListener(onChange);
    }
}
