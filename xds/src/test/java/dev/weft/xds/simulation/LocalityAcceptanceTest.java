package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.proxy.upstream.ClusterCompiler;
import dev.weft.proxy.upstream.EndpointConfig;
import dev.weft.xds.endpoint.EndpointGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Locality load balancing as weft-proxy reads it: the priority and weight of each endpoint, as its host set
 * will order them, for clients in different localities of the same mesh.
 */
class LocalityAcceptanceTest {

    private static final String FEATURE = "destinationrule-locality";

    private static Map<String, EndpointConfig> endpoints(String host, ProxyNode client) throws IOException {
        LoadResult loaded = new ConfigLoader().load(Path.of("src/test/resources/golden", FEATURE, "config.yaml"));
        PushContext push = new PushContext(loaded.snapshot(),
                ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"), MeshSettings.DEFAULT);
        var assignment = EndpointGenerator.generate(push, client).stream()
                .filter(a -> a.getClusterName().equals("outbound|8080||" + host)).findFirst().orElseThrow();
        return ClusterCompiler.endpoints(assignment).stream()
                .collect(Collectors.toMap(EndpointConfig::address, e -> e));
    }

    private static Map<String, Integer> priorities(Map<String, EndpointConfig> endpoints) {
        return endpoints.values().stream().collect(Collectors.toMap(EndpointConfig::address, EndpointConfig::priority));
    }

    @Test
    void failoverOrdersLocalitiesFromTheClientsOwnSubzoneToTheNamedFallbackRegion() throws IOException {
        var endpoints = endpoints("failover.backend.test", Simulation.goldenProxy(FEATURE));

        assertThat(priorities(endpoints)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "10.30.0.1", 0, "10.30.0.2", 1, "10.30.0.3", 2, "10.30.0.5", 3, "10.30.0.4", 4));
        assertThat(endpoints.get("10.30.0.1").locality()).isEqualTo("us-east/zone-a/rack-1");
    }

    @Test
    void theSameRuleGivesAClientElsewhereItsOwnOrder() throws IOException {
        ProxyNode inEurope = ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~10.0.0.2~productpage-v1-b.default~default.svc.cluster.local")
                .setLocality(Locality.newBuilder().setRegion("eu-west").setZone("zone-x"))
                .build());

        var endpoints = endpoints("failover.backend.test", inEurope);

        assertThat(priorities(endpoints)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "10.30.0.5", 0, "10.30.0.1", 1, "10.30.0.2", 1, "10.30.0.3", 1, "10.30.0.4", 1));
    }

    @Test
    void failoverPriorityLabelsAndDefaultsAndDisabled() throws IOException {
        ProxyNode client = Simulation.goldenProxy(FEATURE);

        assertThat(priorities(endpoints("priority.backend.test", client))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "10.30.0.1", 0, "10.30.0.2", 0, "10.30.0.3", 1, "10.30.0.4", 2, "10.30.0.5", 2));
        assertThat(priorities(endpoints("default.backend.test", client))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "10.30.0.1", 0, "10.30.0.2", 1, "10.30.0.3", 2, "10.30.0.4", 3, "10.30.0.5", 3));
        assertThat(priorities(endpoints("disabled.backend.test", client)).values()).containsOnly(0);
    }

    @Test
    void distributeKeepsOnlyTheNamedLocalitiesInOnePriority() throws IOException {
        var endpoints = endpoints("distribute.backend.test", Simulation.goldenProxy(FEATURE));

        assertThat(endpoints).containsOnlyKeys("10.30.0.1", "10.30.0.2", "10.30.0.4");
        assertThat(priorities(endpoints).values()).containsOnly(0);
    }
}
