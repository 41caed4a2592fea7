package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.router.RouteAction;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which cluster a request reaches, per VirtualService feature, as judged by weft-proxy's router. */
class RoutingSimulationTest {

    private static final String REVIEWS = "reviews.default.svc.cluster.local";
    private static final ProxyNode PRODUCTPAGE = Simulation.proxy(
            "sidecar~10.0.0.1~productpage-v1-abc.default~default.svc.cluster.local", Map.of("app", "productpage"));

    private static String golden(String feature) throws IOException {
        return Files.readString(Path.of("src/test/resources/golden", feature, "config.yaml"));
    }

    private static String cluster(String subset) {
        return "outbound|9080|" + subset + "|" + REVIEWS;
    }

    @Test
    void headerMatchThenWeightedSplitWithZeroWeightDropped() throws IOException {
        Simulation sim = Simulation.of(golden("vs-weighted-subsets"), PRODUCTPAGE);

        assertThat(sim.request("9080", "reviews:9080", "GET", "/").header("end-user", "jason").cluster())
                .isEqualTo(cluster("v2"));
        Map<String, Integer> counts = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            counts.merge(sim.request("9080", "reviews", "GET", "/reviews/1").cluster(random), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(cluster("v1"), cluster("v3"));
        assertThat(counts.get(cluster("v1"))).isBetween(4_700, 5_300);
    }

    @Test
    void everyDomainFormReachesTheServiceAndUnknownHostsPassThrough() throws IOException {
        Simulation sim = Simulation.of(golden("sidecar-default-routes"), PRODUCTPAGE);

        for (String authority : new String[] {"reviews", "reviews:9080", "reviews.default", REVIEWS + ":9080",
                "10.96.0.20:9080"}) {
            assertThat(sim.request("9080", authority, "GET", "/").cluster()).as(authority).isEqualTo(cluster(""));
        }
        assertThat(sim.request("9080", "unknown.example.com", "GET", "/").cluster()).isEqualTo("PassthroughCluster");
    }

    @Test
    void registryOnlyAnswersUnknownHostsWith502() throws IOException {
        Simulation sim = Simulation.of(golden("sidecar-scope-registry-only"), PRODUCTPAGE);

        assertThat(sim.request("9080", "unknown.example.com", "GET", "/").action())
                .isInstanceOfSatisfying(RouteAction.DirectResponse.class, r -> assertThat(r.status()).isEqualTo(502));
    }

    @Test
    void localOutboundReachesServiceEntriesByNameAndPassesUnknownHostsThrough() throws IOException {
        Simulation sim = Simulation.of(golden("local-runtime-egress"), Simulation.goldenProxy("local-runtime-egress"));

        assertThat(sim.request("local-outbound", "api.external.test:8080", "GET", "/").cluster())
                .isEqualTo("outbound|8080||api.external.test");
        assertThat(sim.request("local-outbound", "static.external.test:8081", "GET", "/").cluster())
                .isEqualTo("outbound|8081||static.external.test");
        assertThat(sim.request("local-outbound", "none.external.test:8082", "GET", "/").cluster())
                .isEqualTo("outbound|8082||none.external.test");
        assertThat(sim.request("local-outbound", "reviews:9080", "GET", "/").cluster())
                .isEqualTo("outbound|9080||" + REVIEWS);
        assertThat(sim.request("local-outbound", "127.0.0.1:18090", "GET", "/").cluster())
                .as("ALLOW_ANY: to the request's authority").isEqualTo("PassthroughCluster");
        assertThat(sim.request("9080", "reviews:9080", "GET", "/").cluster())
                .as("the HTTP egress port's routes").isEqualTo("outbound|9080||" + REVIEWS);
    }

    @Test
    void localOutboundUnderRegistryOnlyAnswersUnknownHostsWith502() throws IOException {
        String sidecar = """
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: default
                spec:
                  outboundTrafficPolicy:
                    mode: REGISTRY_ONLY
                """;
        ProxyNode local = Simulation.goldenProxy("local-runtime-egress");
        Simulation bySidecar = Simulation.of(golden("local-runtime-egress") + sidecar, local);
        Simulation byMesh = Simulation.of(golden("local-runtime-egress"), local,
                new MeshSettings("istio-system", "cluster.local", false, "cluster.local", List.of(), List.of()));

        for (Simulation sim : List.of(bySidecar, byMesh)) {
            assertThat(sim.request("local-outbound", "127.0.0.1:18090", "GET", "/").action())
                    .isInstanceOfSatisfying(RouteAction.DirectResponse.class, r -> assertThat(r.status()).isEqualTo(502));
            assertThat(sim.request("local-outbound", "api.external.test:8080", "GET", "/").cluster())
                    .as("registered hosts still pass").isEqualTo("outbound|8080||api.external.test");
        }
    }

    @Test
    void aSidecarEgressListenerScopesItsPortsRoutes() throws IOException {
        Simulation sim = Simulation.of(golden("sidecar-ports"), PRODUCTPAGE);

        assertThat(sim.request("9080", "reviews:9080", "GET", "/").cluster()).isEqualTo(cluster(""));
        assertThat(sim.request("9080", "ratings:9080", "GET", "/").cluster())
                .as("ratings is not in the 9080 egress listener's hosts").isEqualTo("PassthroughCluster");
        assertThat(sim.request("9081", "ratings:9081", "GET", "/").cluster())
                .as("the catch-all listener admits ratings on its other port")
                .isEqualTo("outbound|9081||ratings.default.svc.cluster.local");
    }

    @Test
    void matchFieldsDecideTheRule() throws IOException {
        Simulation sim = Simulation.of(golden("vs-matches"), PRODUCTPAGE);

        assertThat(sim.request("9080", "reviews", "GET", "/REVIEWS/1").route().orElseThrow().name())
                .isEqualTo("exact-and-case");
        assertThat(sim.request("9080", "reviews", "POST", "/reviews/1").route().orElseThrow().name())
                .as("method must match").isEqualTo("catch-all");
        assertThat(sim.request("9080", "reviews", "GET", "/reviews/12/detail").route().orElseThrow().name())
                .isEqualTo("exact-and-case");
        assertThat(headersRequest(sim).route().orElseThrow().name()).isEqualTo("headers");
        assertThat(headersRequest(sim).header("x-debug", "1").route().orElseThrow().name())
                .as("withoutHeaders excludes").isEqualTo("catch-all");
        assertThat(headersRequest(sim).header("x-regex", "nope").route().orElseThrow().name()).isEqualTo("catch-all");
        assertThat(sim.request("9080", "reviews", "GET", "/api?q=v").header("x-exact", "a").route().orElseThrow().name())
                .as("every header condition must hold").isEqualTo("catch-all");
    }

    private static Simulation.Request headersRequest(Simulation sim) {
        return sim.request("9080", "reviews", "GET", "/api/items?q=v&flag")
                .header("x-exact", "a").header("x-prefix", "bee").header("x-regex", "cat").header("x-present", "");
    }

    @Test
    void portAndSourceLabelRulesAreDecidedAtConfigTime() throws IOException {
        String config = golden("vs-matches");
        Simulation fromProductpage = Simulation.of(config, PRODUCTPAGE);
        Simulation fromReviews = Simulation.of(config, Simulation.proxy(
                "sidecar~10.0.1.1~reviews-v1-a.default~default.svc.cluster.local", Map.of("app", "reviews")));

        assertThat(fromProductpage.request("9080", "reviews", "GET", "/x").route().orElseThrow().name())
                .isEqualTo("catch-all");
        assertThat(fromReviews.request("9080", "reviews", "GET", "/x").route().orElseThrow().name())
                .isEqualTo("only-from-reviews");
    }

    @Test
    void redirectDirectResponseAndRewrite() throws IOException {
        Simulation sim = Simulation.of(golden("vs-mirror-rewrite-redirect"), PRODUCTPAGE);

        assertThat(sim.request("9080", "reviews", "GET", "/moved").action())
                .isInstanceOfSatisfying(RouteAction.Redirect.class, r -> {
                    assertThat(r.status()).isEqualTo(308);
                    assertThat(r.path()).isEqualTo("/here");
                    assertThat(r.host()).isEqualTo("reviews.example.com");
                });
        assertThat(sim.request("9080", "reviews", "GET", "/teapot/pot").action())
                .isInstanceOfSatisfying(RouteAction.DirectResponse.class, r -> {
                    assertThat(r.status()).isEqualTo(418);
                    assertThat(r.body()).isEqualTo("short and stout");
                });
        assertThat(sim.request("9080", "reviews", "GET", "/old/page").action())
                .isInstanceOfSatisfying(RouteAction.Forward.class, f -> {
                    assertThat(f.prefixRewrite()).isEqualTo("/new");
                    assertThat(f.hostRewrite()).isEqualTo("reviews.internal");
                });
        assertThat(sim.request("9080", "reviews", "GET", "/mirror").action())
                .isInstanceOfSatisfying(RouteAction.Forward.class, f -> assertThat(f.mirrors()).hasSize(1));
    }

    @Test
    void delegateRoutesAreMergedUnderTheRootMatch() throws IOException {
        Simulation sim = Simulation.of(golden("vs-headers-cors-delegate"), PRODUCTPAGE);

        assertThat(sim.request("9080", "reviews", "GET", "/ratings/v2/1").cluster())
                .isEqualTo("outbound|9080|v2|ratings.default.svc.cluster.local");
        assertThat(sim.request("9080", "reviews", "GET", "/ratings/1").cluster())
                .isEqualTo("outbound|9080||ratings.default.svc.cluster.local");
        assertThat(sim.request("9080", "reviews", "GET", "/other").action()).isInstanceOf(RouteAction.Forward.class);
    }

    @Test
    void delegateRulesThatWidenOrContradictTheRootAreIgnored() throws IOException {
        Simulation sim = Simulation.of(golden("vs-delegate-conflicts"), PRODUCTPAGE);
        String ratings = "ratings.default.svc.cluster.local";

        assertThat(sim.request("9080", "reviews", "GET", "/ratings/v2/1").cluster()).isEqualTo("outbound|9080|v2|" + ratings);
        assertThat(sim.request("9080", "reviews", "GET", "/ratings/1").header("end-user", "jason").cluster())
                .as("a header-only delegate match inherits the root's prefix").isEqualTo("outbound|9080|v1|" + ratings);
        assertThat(sim.request("9080", "reviews", "GET", "/ratings/7").cluster())
                .as("the regex delegate rule is dropped").isEqualTo("outbound|9080||" + ratings);
        for (String path : new String[] {"/rat", "/other", "/rating"}) {
            assertThat(sim.request("9080", "reviews", "GET", path).cluster()).as(path).isEqualTo(cluster(""));
        }
        assertThat(sim.request("9080", "reviews", "GET", "/health").cluster()).isEqualTo("outbound|9080|v2|" + ratings);
        assertThat(sim.request("9080", "reviews", "POST", "/health").cluster())
                .as("a delegate method contradicting the root's is dropped").isEqualTo(cluster(""));
    }

    @Test
    void egressGoesThroughTheEgressGatewayToTheServiceEntryHost() throws IOException {
        String config = golden("egress-gateway");
        Simulation sidecar = Simulation.of(config, PRODUCTPAGE);
        Simulation gateway = Simulation.of(config, Simulation.goldenProxy("egress-gateway"));

        assertThat(sidecar.request("80", "edition.cnn.com", "GET", "/politics").cluster())
                .isEqualTo("outbound|80|cnn|istio-egressgateway.istio-system.svc.cluster.local");
        assertThat(gateway.request("http.8080", "edition.cnn.com", "GET", "/politics").cluster())
                .isEqualTo("outbound|80||edition.cnn.com");
        assertThat(gateway.request("http.8080", "other.example.com", "GET", "/").route()).as("404 NR").isEmpty();
    }

    @Test
    void gatewayRoutesOnlyTheBoundPaths() throws IOException {
        Simulation sim = Simulation.of(golden("gateway-ingress"), Simulation.proxy(
                "router~10.0.9.1~ingress.istio-system~istio-system.svc.cluster.local", Map.of("istio", "ingressgateway")));

        assertThat(sim.request("http.8080", "bookinfo.example.com", "GET", "/productpage").cluster())
                .isEqualTo("outbound|9080||productpage.default.svc.cluster.local");
        assertThat(sim.request("http.8080", "bookinfo.example.com", "GET", "/static/app.css").cluster())
                .isEqualTo("outbound|9080||productpage.default.svc.cluster.local");
        assertThat(sim.request("http.8080", "bookinfo.example.com", "GET", "/headers").route()).as("404 NR").isEmpty();
    }

    @Test
    void gatewayServersBindingOnePortShareItsListenerAndRouteTable() throws IOException {
        Simulation sim = Simulation.of(golden("gateway-shared-port"), Simulation.proxy(
                "router~10.0.9.1~ingress.istio-system~istio-system.svc.cluster.local", Map.of("istio", "ingressgateway")));

        assertThat(sim.request("http.8080", "httpbin.example.com", "GET", "/status/200").cluster())
                .isEqualTo("outbound|8000||httpbin.default.svc.cluster.local");
        assertThat(sim.request("http.8080", "httpbin.example.com", "GET", "/productpage").route())
                .as("httpbin.example.com's own virtual host wins over *").isEmpty();
        assertThat(sim.request("http.8080", "bookinfo.example.com", "GET", "/productpage").cluster())
                .isEqualTo("outbound|9080||productpage.default.svc.cluster.local");
    }
}
