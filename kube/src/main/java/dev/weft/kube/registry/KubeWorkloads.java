package dev.weft.kube.registry;

import dev.weft.controlplane.registry.WorkloadSource;
import dev.weft.kube.registry.PodWorkloads.NamespacedName;
import dev.weft.xds.mesh.WorkloadInstance;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's pods as workloads ({@link PodWorkloads}), from what the Pod, EndpointSlice and Node informers saw.
 * Every sighting recomputes the list and compares it with the last: listeners hear only of real changes, so a
 * relist, a pod's unrelated status change or a node's heartbeat pushes nothing.
 */
public final class KubeWorkloads implements WorkloadSource {

    private static final Logger LOG = Logger.getLogger(KubeWorkloads.class.getName());

    private final Map<NamespacedName, Pod> pods = new HashMap<>();
    private final Map<NamespacedName, EndpointSlice> slices = new HashMap<>();
    private final Map<String, Node> nodes = new HashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Predicate<String> admitted;
    private boolean synced;
    private volatile List<WorkloadInstance> workloads = List.of();

    /** Every namespace's pods are workloads. */
    public KubeWorkloads() {
        this(namespace -> true);
    }

    /** Only the pods of namespaces {@code admitted} (the discovery selectors') are workloads. */
    public KubeWorkloads(Predicate<String> admitted) {
        this.admitted = admitted;
    }

    /** The admitted namespaces changed: the workloads are worked out again. */
    public void rescope() {
        changed(() -> { });
    }

    @Override
    public List<WorkloadInstance> workloads() {
        return workloads;
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    public void pod(Pod pod, boolean present) {
        changed(() -> put(pods, key(pod), pod, present));
    }

    public void slice(EndpointSlice slice, boolean present) {
        changed(() -> put(slices, key(slice), slice, present));
    }

    public void node(Node node, boolean present) {
        changed(() -> put(nodes, node.getMetadata().getName(), node, present));
    }

    /** Every informer listed once: the workloads are computed from all of it, and from now on changes are told. */
    public void synced() {
        synchronized (this) {
            synced = true;
        }
        changed(() -> { });
    }

    private static NamespacedName key(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return new NamespacedName(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    private static <K, V> void put(Map<K, V> map, K key, V value, boolean present) {
        if (present) {
            map.put(key, value);
        } else {
            map.remove(key);
        }
    }

    private void changed(Runnable update) {
        synchronized (this) {
            update.run();
            if (!synced) {
                return;
            }
            List<WorkloadInstance> next = PodWorkloads.of(pods, slices.values(), nodes).stream()
                    .filter(w -> admitted.test(w.namespace())).toList();
            if (next.equals(workloads)) {
                return;
            }
            workloads = next;
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "workload listener failed", e);
            }
        }
    }
}
