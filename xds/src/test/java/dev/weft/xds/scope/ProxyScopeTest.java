package dev.weft.xds.scope;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.weft.model.Resource;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The claim behind sharing generated xDS: two proxies with the same {@link ProxyScope} get identical resources of
 * every type. Over every golden config, many proxy shapes are drawn (seeded) from the namespaces, labels, types and
 * metadata the config can react to; each is paired with a replica that differs in node ID, pod name and IPs, and
 * every pair of proxies with equal scopes must generate the same clusters, endpoints, listeners and routes.
 */
class ProxyScopeTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final int SHAPES_PER_CONFIG = 40;

    @TestFactory
    Stream<DynamicTest> proxiesWithEqualScopesGetIdenticalResources() throws IOException {
        List<Path> configs;
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            configs = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(configs).isNotEmpty();
        return configs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws IOException {
        LoadResult loaded = new ConfigLoader().load(dir.resolve("config.yaml"));
        assertThat(loaded.errors()).isEmpty();
        Node base = baseNode(dir);
        ProxyNode baseProxy = ProxyNode.fromNode(base);
        PushContext push = new PushContext(loaded.snapshot(),
                ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"), MeshSettings.DEFAULT);
        ShapePool pool = ShapePool.of(loaded.snapshot().all(), push, baseProxy);
        Random random = new Random(dir.getFileName().toString().hashCode());

        ScopeRules rules = ScopeRules.of(loaded.snapshot());
        Map<ProxyScope, Generated> byScope = new HashMap<>();
        Map<ProxyScope, Generated> byRoutingScope = new HashMap<>();
        int shared = 0;
        for (int i = 0; i < SHAPES_PER_CONFIG; i++) {
            Node shape = pool.draw(base, random, i);
            for (Node proxyNode : List.of(shape, pool.replicaOf(shape, random, i))) {
                ProxyNode proxy = ProxyNode.fromNode(proxyNode);
                Generated generated = Generated.of(push, proxy);
                Generated first = byScope.putIfAbsent(rules.scopeOf(proxyNode), generated);
                if (first != null) {
                    shared++;
                    assertThat(generated.resources).as("%s: %s (labels %s) generates what %s (labels %s) of the same"
                            + " scope did", dir.getFileName(), proxy.nodeId(), proxy.labels(), first.proxy.nodeId(),
                            first.proxy.labels()).isEqualTo(first.resources);
                }
                Generated sameRouting = byRoutingScope.putIfAbsent(rules.routingScopeOf(proxyNode), generated);
                if (sameRouting != null) {
                    assertThat(generated.routesAndEndpoints()).as("%s: routes and endpoints of %s and %s",
                            dir.getFileName(), proxy.labels(), sameRouting.proxy.labels())
                            .isEqualTo(sameRouting.routesAndEndpoints());
                }
            }
        }
        // Where the config gives addresses a use, every pod is its own scope; elsewhere replicas share.
        assertThat(shared > 0).as("proxies share scopes").isEqualTo(!rules.addressesMatter());
        assertThat(byScope).as("the shapes cover more than one scope").hasSizeGreaterThan(1);
        assertThat(byRoutingScope.size()).isLessThanOrEqualTo(byScope.size());
    }

    @Test
    void scopesThatDifferGetTheirOwnConfig() throws IOException {
        Path dir = GOLDEN.resolve("sidecar-scope-registry-only");
        LoadResult loaded = new ConfigLoader().load(dir.resolve("config.yaml"));
        PushContext push = new PushContext(loaded.snapshot(),
                ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"), MeshSettings.DEFAULT);
        ScopeRules rules = ScopeRules.of(loaded.snapshot());
        ProxyNode restricted = ProxyNode.fromNode(baseNode(dir));
        Node elsewhereNode = baseNode(dir).toBuilder()
                .setId("sidecar~10.9.9.9~other-abc.unscoped~unscoped.svc.cluster.local").build();
        ProxyNode elsewhere = ProxyNode.fromNode(elsewhereNode);

        assertThat(rules.scopeOf(baseNode(dir))).isNotEqualTo(rules.scopeOf(elsewhereNode));
        assertThat(XdsResources.clusters(push, restricted).keySet())
                .isNotEqualTo(XdsResources.clusters(push, elsewhere).keySet());
    }

    @Test
    void labelsNoSelectorReadsAndReplicaIdentityAreLeftOutAddressesOnlyWhenUnused() throws IOException {
        ScopeRules rules = ScopeRules.of(new ConfigLoader().load(GOLDEN.resolve("vs-matches/config.yaml")).snapshot());
        Node pod = pod("reviews-v1-a", "10.0.0.1", "h1");
        Node replica = pod("reviews-v1-b", "10.0.0.2", "h2");

        assertThat(rules.labelKeys()).contains("app").doesNotContain("pod-template-hash");
        assertThat(rules.addressesMatter()).isFalse();
        assertThat(rules.scopeOf(replica)).isEqualTo(rules.scopeOf(pod));

        ScopeRules withIngress = ScopeRules.of(new ConfigLoader().load(GOLDEN.resolve("sidecar-ports/config.yaml"))
                .snapshot());
        assertThat(withIngress.addressesMatter()).as("a Sidecar declares ingress listeners").isTrue();
        assertThat(withIngress.scopeOf(replica)).isNotEqualTo(withIngress.scopeOf(pod));
    }

    private static Node pod(String name, String ip, String hash) {
        return Node.newBuilder().setId("sidecar~" + ip + "~" + name + ".default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder()
                        .putFields("NAME", ShapePool.string(name))
                        .putFields("INSTANCE_IPS", ShapePool.string(ip))
                        .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("app", ShapePool.string("reviews"))
                                .putFields("pod-template-hash", ShapePool.string(hash))).build()))
                .build();
    }

    private static Node baseNode(Path dir) throws IOException {
        Node.Builder node = Node.newBuilder();
        JsonFormat.parser().merge(Files.readString(dir.resolve("proxy.json")), node);
        return node.build();
    }

    /** One proxy's resources of all four types. */
    private record Generated(ProxyNode proxy, List<SortedMap<String, Message>> resources) {

        static Generated of(PushContext push, ProxyNode proxy) {
            return new Generated(proxy, List.of(XdsResources.clusters(push, proxy), XdsResources.endpoints(push, proxy),
                    XdsResources.listeners(push, proxy), XdsResources.routes(push, proxy)));
        }

        List<SortedMap<String, Message>> routesAndEndpoints() {
            return List.of(resources.get(1), resources.get(3));
        }
    }

    /** What a drawn proxy is made of: everything the config could select on, plus unrelated values. */
    private record ShapePool(List<String> namespaces, List<Map<String, String>> labelSets, List<String> types) {

        static ShapePool of(Collection<Resource<?>> config, PushContext push, ProxyNode base) {
            Set<String> namespaces = new TreeSet<>(List.of(base.namespace(), "default", "istio-system", "unrelated"));
            Set<Map<String, String>> labels = new LinkedHashSet<>(List.of(base.labels(), Map.of(), Map.of("app", "x")));
            for (Resource<?> resource : config) {
                namespaces.add(resource.namespace());
                collectStringMaps(resource.spec(), labels);
            }
            for (ServiceInstances instances : push.servicesFor(base)) {
                labels.add(instances.service().workloadSelector());
                instances.workloads().stream().map(WorkloadInstance::labels).forEach(labels::add);
            }
            return new ShapePool(List.copyOf(namespaces), List.copyOf(labels), List.of("sidecar", "router"));
        }

        Node draw(Node base, Random random, int index) {
            String type = random.nextInt(4) == 0 ? types.get(random.nextInt(types.size())) : base.getId().split("~")[0];
            String namespace = namespaces.get(random.nextInt(namespaces.size()));
            Map<String, String> labels = new HashMap<>(labelSets.get(random.nextInt(labelSets.size())));
            if (random.nextBoolean()) {
                labels.putAll(labelSets.get(random.nextInt(labelSets.size())));
            }
            // What Kubernetes adds to every pod and no selector reads.
            labels.put("pod-template-hash", "h" + random.nextInt(3));
            Struct.Builder metadata = base.getMetadata().toBuilder()
                    .putFields("LABELS", Value.newBuilder().setStructValue(struct(labels)).build())
                    .putFields("NAMESPACE", string(namespace));
            if (random.nextInt(3) == 0) {
                metadata.removeFields("GENERATOR");
            }
            if (random.nextInt(3) == 0) {
                metadata.removeFields(ProxyNode.LOCAL_PORTS_KEY);
            }
            if (random.nextInt(4) == 0) {
                metadata.putFields("SERVICE_ACCOUNT", string("sa-" + random.nextInt(2)));
            }
            String ip = "10.1." + (index & 0xff) + "." + (1 + random.nextInt(250));
            Node.Builder node = base.toBuilder();
            if (random.nextInt(3) == 0) {
                node.getLocalityBuilder().setRegion("region-" + random.nextInt(2)).setZone("zone-" + random.nextInt(2));
            }
            return node.setId(type + "~" + ip + "~shape-" + index + "." + namespace + "~" + namespace
                    + ".svc.cluster.local").setMetadata(metadata).build();
        }

        /** The same workload as another pod: only node ID, pod name and instance IPs differ. */
        Node replicaOf(Node shape, Random random, int index) {
            String[] parts = shape.getId().split("~");
            String namespace = parts[2].substring(parts[2].lastIndexOf('.') + 1);
            String ip = "10.2." + (index & 0xff) + "." + (1 + random.nextInt(250));
            return shape.toBuilder().setId(parts[0] + "~" + ip + "~replica-" + index + "." + namespace + "~" + parts[3])
                    .setMetadata(shape.getMetadata().toBuilder().putFields("INSTANCE_IPS", string(ip + ",10.3.0." + index))
                            .putFields("NAME", string("replica-" + index)))
                    .build();
        }

        /** Every string-to-string map in a resource spec: selectors, sourceLabels, subset labels. */
        private static void collectStringMaps(Object value, Set<Map<String, String>> into) {
            if (value instanceof Record record) {
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    try {
                        collectStringMaps(component.getAccessor().invoke(record), into);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            } else if (value instanceof Map<?, ?> map) {
                if (!map.isEmpty() && map.entrySet().stream()
                        .allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof String)) {
                    Map<String, String> labels = new HashMap<>();
                    map.forEach((k, v) -> labels.put((String) k, (String) v));
                    into.add(Map.copyOf(labels));
                } else {
                    map.values().forEach(v -> collectStringMaps(v, into));
                }
            } else if (value instanceof Collection<?> list) {
                list.forEach(v -> collectStringMaps(v, into));
            } else if (value instanceof java.util.Optional<?> optional) {
                optional.ifPresent(v -> collectStringMaps(v, into));
            }
        }

        private static Struct struct(Map<String, String> labels) {
            Struct.Builder struct = Struct.newBuilder();
            labels.forEach((k, v) -> struct.putFields(k, string(v)));
            return struct.build();
        }

        private static Value string(String value) {
            return Value.newBuilder().setStringValue(value).build();
        }
    }
}
