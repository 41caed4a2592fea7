package dev.weft.controlplane.registry;

import dev.weft.controlplane.ads.ProxyLifecycle;
import dev.weft.xds.mesh.LocalPorts;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ProxyType;
import dev.weft.xds.mesh.WorkloadInstance;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Workloads that register as their sidecar connects (WorkloadGroup auto-registration style) and leave
 * when its last stream closes. A local-runtime sidecar is reached on its own proxy ports, so its target
 * ports are remapped to them.
 */
public final class AutoRegisteredWorkloads implements ProxyLifecycle {

    private static final Logger LOG = Logger.getLogger(AutoRegisteredWorkloads.class.getName());

    private record Registration(WorkloadInstance workload, int streams) {
    }

    private final Map<String, Registration> byNodeId = new HashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /**
     * The sorted list, rebuilt only when a workload comes or goes: every push reads it, and the same instance tells
     * the registry at a glance that nothing changed.
     */
    private List<WorkloadInstance> workloads = List.of();

    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    /** The registered workloads, sorted; the same instance until one comes or goes. */
    public synchronized List<WorkloadInstance> workloads() {
        return workloads;
    }

    private void rebuild() {
        workloads = byNodeId.values().stream().map(Registration::workload)
                .sorted(Comparator.comparing(WorkloadInstance::namespace).thenComparing(WorkloadInstance::name))
                .toList();
    }

    @Override
    public void connected(ProxyNode proxy) {
        if (proxy.type() != ProxyType.SIDECAR) {
            return;
        }
        boolean added;
        synchronized (this) {
            Registration existing = byNodeId.get(proxy.nodeId());
            added = existing == null;
            byNodeId.put(proxy.nodeId(), added
                    ? new Registration(workloadOf(proxy), 1)
                    : new Registration(existing.workload(), existing.streams() + 1));
            if (added) {
                rebuild();
            }
        }
        if (added) {
            LOG.info(() -> "workload registered: " + proxy.namespace() + "/" + proxy.workloadName());
            listeners.forEach(Runnable::run);
        }
    }

    @Override
    public void disconnected(ProxyNode proxy) {
        boolean removed = false;
        synchronized (this) {
            Registration existing = byNodeId.get(proxy.nodeId());
            if (existing != null) {
                if (existing.streams() <= 1) {
                    byNodeId.remove(proxy.nodeId());
                    removed = true;
                    rebuild();
                } else {
                    byNodeId.put(proxy.nodeId(), new Registration(existing.workload(), existing.streams() - 1));
                }
            }
        }
        if (removed) {
            LOG.info(() -> "workload removed: " + proxy.namespace() + "/" + proxy.workloadName());
            listeners.forEach(Runnable::run);
        }
    }

    static WorkloadInstance workloadOf(ProxyNode proxy) {
        Map<Integer, Integer> remap = new HashMap<>();
        proxy.localPorts().map(LocalPorts::workloadPorts).orElse(List.of())
                .forEach(p -> remap.put(p.port(), p.proxy()));
        return new WorkloadInstance(proxy.workloadName(), proxy.namespace(), proxy.ipAddresses().getFirst(),
                Map.of(), remap, proxy.labels(), proxy.locality(), 0, proxy.serviceAccount());
    }
}
