package dev.weft.controlplane.registry;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.registry.ConfigRegistry;
import java.util.List;
import java.util.Objects;

/**
 * The aggregate registry: ServiceEntries, WorkloadEntries and Services from config, plus the workloads of every
 * {@link WorkloadSource} (the sidecars that registered themselves; a platform's pods).
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

    private final List<WorkloadSource> sources;
    private final String domainSuffix;
    private volatile Built last;

    public MeshServiceRegistry(WorkloadSource autoRegistered, String domainSuffix) {
        this(List.of(autoRegistered), domainSuffix);
    }

    public MeshServiceRegistry(List<WorkloadSource> sources, String domainSuffix) {
        this.sources = List.copyOf(sources);
        this.domainSuffix = Objects.requireNonNull(domainSuffix, "domainSuffix");
    }

    @Override
    public RegistrySnapshot snapshot(ConfigSnapshot config) {
        List<WorkloadInstance> registered = sources.size() == 1 ? sources.getFirst().workloads()
                : sources.stream().flatMap(source -> source.workloads().stream()).toList();
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
        sources.forEach(source -> source.addListener(onChange));
    }
}
