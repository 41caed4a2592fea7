package dev.weft.controlplane.registry;

import dev.weft.controlplane.ads.ProxyLifecycle;
import dev.weft.xds.endpoint.EndpointGenerator;
import dev.weft.xds.mesh.LocalPorts;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ProxyType;
import dev.weft.xds.mesh.WorkloadInstance;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Workloads that register as their sidecar connects (WorkloadGroup auto-registration style) and leave
 * when its last stream closes. A local-runtime sidecar is reached on its own proxy ports, so its target
 * ports are remapped to them.
 *
 * <p>With a {@link RegisteredWorkloadsFile}, a restarted weftd starts with the workloads that were registered when
 * it stopped: their sidecars kept running and serving, and would otherwise vanish from every other proxy's
 * endpoints until they reconnect, failing requests meanwhile. Each remembered workload stays until its sidecar
 * reconnects (then it is registered as usual) or the grace period passes without it.
 */
public final class AutoRegisteredWorkloads implements ProxyLifecycle, WorkloadSource {

    private static final Logger LOG = Logger.getLogger(AutoRegisteredWorkloads.class.getName());
    /** Longer than a proxy's longest reconnect back-off (3 s) with room for a loaded machine. */
    public static final Duration REMEMBERED_GRACE = Duration.ofSeconds(15);

    /** {@code streams} 0: remembered from before a restart, its sidecar not yet back. */
    private record Registration(WorkloadInstance workload, int streams) {
    }

    private final Map<String, Registration> byNodeId = new HashMap<>();
    private final Optional<RegisteredWorkloadsFile> file;
    private boolean saving = true;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /**
     * The sorted list, rebuilt only when a workload comes or goes: every push reads it, and the same instance tells
     * the registry at a glance that nothing changed.
     */
    private List<WorkloadInstance> workloads = List.of();

    /** Registrations in memory only. */
    public AutoRegisteredWorkloads() {
        this.file = Optional.empty();
    }

    /**
     * Starts with the workloads saved in {@code file} and keeps it up to date; those whose sidecar has not
     * reconnected within {@code grace} are removed then, on {@code timer}.
     */
    public AutoRegisteredWorkloads(RegisteredWorkloadsFile file, Duration grace, ScheduledExecutorService timer) {
        this.file = Optional.of(file);
        file.read().forEach((nodeId, workload) -> byNodeId.put(nodeId, new Registration(workload, 0)));
        rebuild();
        if (!byNodeId.isEmpty()) {
            LOG.info(() -> "remembering " + byNodeId.size() + " workloads registered before the restart for " + grace);
            timer.schedule(this::forgetRemembered, grace.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void forgetRemembered() {
        List<String> gone;
        synchronized (this) {
            gone = byNodeId.entrySet().stream().filter(e -> e.getValue().streams() == 0).map(Map.Entry::getKey).toList();
            gone.forEach(byNodeId::remove);
            if (gone.isEmpty()) {
                return;
            }
            changed();
        }
        LOG.info(() -> "workloads whose sidecar did not come back: removed " + gone);
        listeners.forEach(Runnable::run);
    }

    /**
     * weftd is stopping: the streams it closes now must not empty the saved file, whose sidecars keep running and
     * are remembered by the next weftd.
     */
    public synchronized void stopSaving() {
        saving = false;
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    /** The registered workloads, sorted; the same instance until one comes or goes. */
    @Override
    public synchronized List<WorkloadInstance> workloads() {
        return workloads;
    }

    /** After a workload came, went or changed: the sorted list again, and the saved file. */
    private void changed() {
        rebuild();
        file.filter(f -> saving).ifPresent(f -> f.write(byNodeId.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().workload()))));
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
            WorkloadInstance workload = workloadOf(proxy);
            added = existing == null || (existing.streams() == 0 && !existing.workload().equals(workload));
            byNodeId.put(proxy.nodeId(), existing == null || existing.streams() == 0
                    ? new Registration(workload, 1)
                    : new Registration(existing.workload(), existing.streams() + 1));
            if (added) {
                changed();
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
                    changed();
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
        Map<String, String> labels = new HashMap<>(proxy.labels());
        if (proxy.hasWorkloadCertificate()) {
            // Sidecar injection marks a pod that accepts mutual TLS; a proxy with its own certificate does.
            labels.putIfAbsent(EndpointGenerator.TLS_MODE_LABEL, "istio");
        }
        return new WorkloadInstance(proxy.workloadName(), proxy.namespace(), proxy.ipAddresses().getFirst(),
                Map.of(), remap, labels, proxy.locality(), 0, proxy.serviceAccount());
    }
}
