package dev.weft.controlplane.ads;

import com.google.protobuf.Any;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory generator for ADS protocol tests: resources are set per type by the test. Like the real one, it hands
 * out the same {@link PackedResources} instance until the test changes that type.
 */
final class MapResourceGenerator implements ResourceGenerator {

    private final Map<XdsType, SortedMap<String, Any>> resources =
            Collections.synchronizedMap(new EnumMap<>(XdsType.class));
    private final Map<XdsType, PackedResources> packed = new ConcurrentHashMap<>();
    final Map<String, ProxyNode> generatedFor = new ConcurrentHashMap<>();
    volatile boolean failing;

    void clusters(String... names) {
        SortedMap<String, Any> byName = new TreeMap<>();
        for (String name : names) {
            byName.put(name, Any.pack(Cluster.newBuilder().setName(name).build()));
        }
        set(XdsType.CLUSTER, byName);
    }

    /** One assignment per name, each with {@code endpoints} empty locality groups so tests can vary content. */
    void endpoints(int endpoints, String... names) {
        SortedMap<String, Any> byName = new TreeMap<>();
        for (String name : names) {
            byName.put(name, assignment(name, endpoints));
        }
        set(XdsType.ENDPOINT, byName);
    }

    /** Replaces one assignment, leaving the others as they are. */
    void endpoint(String name, int endpoints) {
        SortedMap<String, Any> byName = new TreeMap<>(resources.getOrDefault(XdsType.ENDPOINT, new TreeMap<>()));
        byName.put(name, assignment(name, endpoints));
        set(XdsType.ENDPOINT, byName);
    }

    private void set(XdsType type, SortedMap<String, Any> byName) {
        resources.put(type, byName);
        packed.remove(type);
    }

    private static Any assignment(String name, int endpoints) {
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name);
        for (int i = 0; i < endpoints; i++) {
            cla.addEndpointsBuilder().setPriority(i);
        }
        return Any.pack(cla.build());
    }

    @Override
    public PackedResources generate(ProxyNode proxy, Node node, XdsType type) {
        if (failing) {
            throw new IllegalStateException("generator broken on purpose");
        }
        generatedFor.put(proxy.nodeId(), proxy);
        return packed.computeIfAbsent(type, t -> new PackedResources(resources.getOrDefault(t, new TreeMap<>())));
    }
}
