package dev.weft.controlplane.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ads.PackedResources;
import dev.weft.controlplane.ads.XdsType;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import dev.weft.model.ConfigSnapshot;
import dev.weft.xds.scope.ScopeRules;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScopedResourcesTest {

    /** reviews and ratings for everyone; a Sidecar limits namespace "locked" to its own services. */
    private static final String CONFIG = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: default}
            spec:
              selector: {app: ratings}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: vault, namespace: locked}
            spec:
              selector: {app: vault}
              ports: [{name: http, port: 8200}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: locked}
            spec:
              egress:
              - hosts: ["./*"]
            """;

    private static final String RATINGS_TIMEOUT = """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ratings, namespace: default}
            spec:
              hosts: [ratings]
              http:
              - timeout: 3s
                route:
                - destination: {host: ratings}
            """;

    private static ConfigSnapshot config(String yaml) {
        LoadResult loaded = new ConfigLoader().loadString(yaml, "test.yaml");
        assertThat(loaded.errors()).isEmpty();
        return loaded.snapshot();
    }

    private static PushContext push(String yaml) {
        ConfigSnapshot config = config(yaml);
        return new PushContext(config, ConfigRegistry.build(config, List.of(), "cluster.local"), MeshSettings.DEFAULT);
    }

    private static ScopedResources first(String yaml) {
        return ScopedResources.first(push(yaml), ScopeRules.of(config(yaml)));
    }

    private static Node node(String pod, String ip, String namespace, String app) {
        return Node.newBuilder().setId("sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("app", Value.newBuilder().setStringValue(app).build())).build()).build())
                .build();
    }

    private static PackedResources generate(ScopedResources resources, Node node, XdsType type) {
        return resources.generate(ProxyNode.fromNode(node), node, type);
    }

    private static SortedMap<String, Any> fresh(PushContext push, Node node, XdsType type) {
        ProxyNode proxy = ProxyNode.fromNode(node);
        SortedMap<String, Message> resources = switch (type) {
            case CLUSTER -> XdsResources.clusters(push, proxy);
            case ENDPOINT -> XdsResources.endpoints(push, proxy);
            case LISTENER -> XdsResources.listeners(push, proxy);
            case ROUTE -> XdsResources.routes(push, proxy);
            case SECRET -> XdsResources.secrets(push, proxy);
        };
        SortedMap<String, Any> packed = new TreeMap<>();
        resources.forEach((name, r) -> packed.put(name, Any.pack(r)));
        return packed;
    }

    @Test
    void replicasShareOneGenerationThatEqualsAFreshOne() {
        PushContext push = push(CONFIG);
        ScopedResources resources = first(CONFIG);
        Node first = node("productpage-v1-a", "10.0.0.1", "default", "productpage");
        Node replica = node("productpage-v1-b", "10.0.0.2", "default", "productpage");

        for (XdsType type : XdsType.values()) {
            PackedResources shared = generate(resources, first, type);
            assertThat(generate(resources, replica, type)).as(type.shortName()).isSameAs(shared);
            assertThat(shared.byName()).as(type.shortName()).isEqualTo(fresh(push, replica, type));
        }
    }

    @Test
    void aProxyOfAnotherScopeGetsItsOwnConfig() {
        PushContext push = push(CONFIG);
        ScopedResources resources = first(CONFIG);
        Node open = node("productpage-v1-a", "10.0.0.1", "default", "productpage");
        Node locked = node("teller-a", "10.0.0.3", "locked", "teller");
        Node otherApp = node("reviews-v1-a", "10.0.0.4", "default", "reviews");

        PackedResources lockedClusters = generate(resources, locked, XdsType.CLUSTER);
        assertThat(lockedClusters.byName()).isEqualTo(fresh(push, locked, XdsType.CLUSTER))
                .containsKey("outbound|8200||vault.locked.svc.cluster.local")
                .doesNotContainKey("outbound|9080||reviews.default.svc.cluster.local");
        assertThat(generate(resources, open, XdsType.CLUSTER).byName())
                .containsKey("outbound|9080||reviews.default.svc.cluster.local");
        // Routes do not depend on the proxy's own workload: one generation serves both apps of the namespace.
        assertThat(generate(resources, otherApp, XdsType.ROUTE)).isSameAs(generate(resources, open, XdsType.ROUTE));
        assertThat(generate(resources, open, XdsType.ROUTE).byName()).isEqualTo(fresh(push, open, XdsType.ROUTE));
        // reviews' own workload gets an inbound cluster for 9080; productpage's does not.
        assertThat(generate(resources, otherApp, XdsType.CLUSTER)).isNotSameAs(generate(resources, open, XdsType.CLUSTER));
        assertThat(generate(resources, otherApp, XdsType.CLUSTER).byName()).containsKey("inbound|9080||");
        assertThat(generate(resources, open, XdsType.CLUSTER).byName()).doesNotContainKey("inbound|9080||");
    }

    @Test
    void theNextPushKeepsTheInstancesOfUnchangedResources() {
        Node node = node("productpage-v1-a", "10.0.0.1", "default", "productpage");
        ScopedResources before = first(CONFIG);
        PackedResources routesBefore = generate(before, node, XdsType.ROUTE);
        PackedResources clustersBefore = generate(before, node, XdsType.CLUSTER);

        ScopedResources after = before.next(push(CONFIG + RATINGS_TIMEOUT), ScopeRules.of(config(CONFIG + RATINGS_TIMEOUT)));
        PackedResources routesAfter = generate(after, node, XdsType.ROUTE);
        PackedResources clustersAfter = generate(after, node, XdsType.CLUSTER);

        assertThat(routesAfter.byName().get("9080")).isNotEqualTo(routesBefore.byName().get("9080"));
        assertThat(routesAfter.version("9080")).isNotEqualTo(routesBefore.version("9080"));
        routesBefore.byName().keySet().stream().filter(name -> !name.equals("9080")).forEach(name -> {
            assertThat(routesAfter.byName().get(name)).as(name).isSameAs(routesBefore.byName().get(name));
            assertThat(routesAfter.version(name)).isEqualTo(routesBefore.version(name));
        });
        assertThat(clustersAfter).as("a type with no change at all is the same instance, skipped by one identity check")
                .isSameAs(clustersBefore);
        assertThat(after.push()).isNotSameAs(before.push());
    }

    @Test
    void aStreamsScopeIsWorkedOutOnceWhileTheScopeRulesStayTheSame() {
        Node node = node("productpage-v1-a", "10.0.0.1", "default", "productpage");
        Node equalNode = node("productpage-v1-a", "10.0.0.1", "default", "productpage");
        ScopedResources before = first(CONFIG);

        ScopedResources sameRules = before.next(push(CONFIG + RATINGS_TIMEOUT), ScopeRules.of(config(CONFIG + RATINGS_TIMEOUT)));
        assertThat(sameRules.scopeOf(node)).isSameAs(before.scopeOf(node)).isSameAs(sameRules.scopeOf(equalNode));

        String versionSelector = CONFIG + RATINGS_TIMEOUT.replace("- timeout: 3s", "- match: [{sourceLabels: {version: v1}}]\n    timeout: 3s");
        ScopeRules otherRules = ScopeRules.of(config(versionSelector));
        assertThat(otherRules).isNotEqualTo(ScopeRules.of(config(CONFIG)));
        ScopedResources newRules = sameRules.next(push(versionSelector), otherRules);
        assertThat(newRules.scopeOf(node)).isNotSameAs(sameRules.scopeOf(node));
        assertThat(newRules.generate(ProxyNode.fromNode(node), node, XdsType.ROUTE).byName())
                .isEqualTo(fresh(push(versionSelector), node, XdsType.ROUTE));
    }
}
