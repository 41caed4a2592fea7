package dev.weft.controlplane.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ads.XdsType;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ChangedTypesTest {

    /** Istio's Bookinfo sample as the examples module ships it, and its traffic-management variants. */
    private static final Path BOOKINFO = Path.of("../examples/bookinfo/mesh");

    private static ConfigSnapshot load(Path... files) {
        LoadResult loaded = new ConfigLoader().load(files);
        assertThat(loaded.errors()).isEmpty();
        return loaded.snapshot();
    }

    private static ConfigSnapshot without(ConfigSnapshot config, Kind... kinds) {
        List<Resource<?>> kept = new ArrayList<>(config.all());
        for (Kind kind : kinds) {
            kept.removeAll(config.ofKind(kind));
        }
        return ConfigSnapshot.of(kept);
    }

    private static RegistrySnapshot registry(ConfigSnapshot config) {
        return ConfigRegistry.build(config, List.of(), "cluster.local");
    }

    private static ConfigSnapshot bookinfo() {
        return load(BOOKINFO.resolve("bookinfo.yaml"), BOOKINFO.resolve("destination-rule-all.yaml"),
                BOOKINFO.resolve("bookinfo-gateway.yaml"), BOOKINFO.resolve("networking/virtual-service-all-v1.yaml"));
    }

    @Test
    void aRoutingChangeAffectsOnlyListenersRoutesAndTheirSecrets() {
        ConfigSnapshot before = bookinfo();
        ConfigSnapshot after = without(before, Kind.VIRTUAL_SERVICE);

        assertThat(ChangedTypes.between(before, registry(before), after, registry(after)))
                .containsExactlyInAnyOrder(XdsType.LISTENER, XdsType.ROUTE, XdsType.SECRET);
        ConfigSnapshot noGateway = without(before, Kind.GATEWAY, Kind.VIRTUAL_SERVICE);
        assertThat(ChangedTypes.between(before, registry(before), noGateway, registry(noGateway)))
                .containsExactlyInAnyOrder(XdsType.LISTENER, XdsType.ROUTE, XdsType.SECRET);
    }

    @Test
    void anyOtherChangeAffectsEveryTypeAndNoChangeNone() {
        ConfigSnapshot before = bookinfo();
        ConfigSnapshot noRules = without(before, Kind.DESTINATION_RULE);
        ConfigSnapshot fewerServices = without(before, Kind.SERVICE);

        assertThat(ChangedTypes.between(before, registry(before), noRules, registry(noRules)))
                .containsExactlyInAnyOrder(XdsType.values());
        assertThat(ChangedTypes.between(before, registry(before), fewerServices, registry(fewerServices)))
                .containsExactlyInAnyOrder(XdsType.values());
        assertThat(ChangedTypes.between(before, registry(before), bookinfo(), registry(bookinfo()))).isEmpty();
    }

    /**
     * The claim the rule rests on, over Bookinfo and every one of its VirtualService variants: for every Bookinfo
     * workload and the ingress gateway, clusters and endpoints are the same with any routing rules or none.
     */
    @Test
    void clustersAndEndpointsDoNotDependOnVirtualServicesOrGateways() throws IOException {
        ConfigSnapshot withoutRouting = without(bookinfo(), Kind.VIRTUAL_SERVICE, Kind.GATEWAY);
        PushContext bare = new PushContext(withoutRouting, registry(withoutRouting), MeshSettings.DEFAULT);
        List<Path> variants;
        try (Stream<Path> files = Files.list(BOOKINFO.resolve("networking"))) {
            variants = files.sorted().toList();
        }
        assertThat(variants).hasSizeGreaterThan(3);
        for (Path variant : variants) {
            ConfigSnapshot routed = load(BOOKINFO.resolve("bookinfo.yaml"), BOOKINFO.resolve("destination-rule-all.yaml"),
                    BOOKINFO.resolve("bookinfo-gateway.yaml"), variant);
            PushContext push = new PushContext(routed, registry(routed), MeshSettings.DEFAULT);
            for (ProxyNode proxy : proxies()) {
                assertThat(XdsResources.clusters(push, proxy)).as("%s for %s", variant.getFileName(), proxy.id())
                        .isEqualTo(XdsResources.clusters(bare, proxy));
                assertThat(XdsResources.endpoints(push, proxy)).as("%s for %s", variant.getFileName(), proxy.id())
                        .isEqualTo(XdsResources.endpoints(bare, proxy));
            }
        }
    }

    private static List<ProxyNode> proxies() {
        List<ProxyNode> proxies = new ArrayList<>();
        String[][] workloads = {{"productpage", "v1"}, {"details", "v1"}, {"reviews", "v1"}, {"reviews", "v2"},
            {"reviews", "v3"}, {"ratings", "v1"}};
        for (String[] w : workloads) {
            proxies.add(node("sidecar~10.0.0.1~" + w[0] + "-" + w[1] + "-a.default~default.svc.cluster.local",
                    "app", w[0], "version", w[1]));
        }
        proxies.add(node("router~10.0.0.9~istio-ingressgateway-a.istio-system~istio-system.svc.cluster.local",
                "istio", "ingressgateway", "app", "istio-ingressgateway"));
        return proxies;
    }

    private static ProxyNode node(String id, String... labels) {
        Struct.Builder struct = Struct.newBuilder();
        for (int i = 0; i < labels.length; i += 2) {
            struct.putFields(labels[i], Value.newBuilder().setStringValue(labels[i + 1]).build());
        }
        return ProxyNode.fromNode(Node.newBuilder().setId(id)
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(struct).build()))
                .build());
    }
}
