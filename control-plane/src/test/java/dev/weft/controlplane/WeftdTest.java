package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ads.XdsType;
import dev.weft.controlplane.ca.MeshRootChannels;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weftd end to end over loopback: a config directory, the HTTP API and real ADS clients. */
class WeftdTest {

    private static final String REVIEWS_HOST = "reviews.default.svc.cluster.local";
    static final String REVIEWS_CLUSTER = "outbound|9080||" + REVIEWS_HOST;

    /** A Service with two subsets and a VirtualService sending everything to v1. */
    static final String MESH = """
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews
              namespace: default
            spec:
              selector:
                app: reviews
              ports:
              - name: http
                port: 9080
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: default
            spec:
              host: reviews
              subsets:
              - name: v1
                labels:
                  version: v1
              - name: v2
                labels:
                  version: v2
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: default
            spec:
              hosts:
              - reviews
              http:
              - route:
                - destination:
                    host: reviews
                    subset: v1
            """;

    /** The VirtualService again, 80/20 between v1 and v2. */
    static final String SPLIT = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: default
            spec:
              hosts:
              - reviews
              http:
              - route:
                - destination:
                    host: reviews
                    subset: v1
                  weight: 80
                - destination:
                    host: reviews
                    subset: v2
                  weight: 20
            """;

    @TempDir
    Path configDir;

    private Weftd weftd;
    /** The API token of a weftd with a data directory; none without. */
    private String token = "";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(configDir.resolve("mesh.yaml"), MESH);
        weftd = Weftd.start(WeftdOptions.defaults().withConfigDir(configDir).withPorts(0, 0)
                .withDebounce(Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() throws Exception {
        weftd.close();
    }

    private static Node sidecar(String id, String app, String version) {
        Struct labels = Struct.newBuilder()
                .putFields("app", Value.newBuilder().setStringValue(app).build())
                .putFields("version", Value.newBuilder().setStringValue(version).build())
                .build();
        return Node.newBuilder().setId(id)
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(labels).build()))
                .build();
    }

    private static Node productpage() {
        return sidecar("sidecar~127.0.0.1~productpage-v1-abc.default~default.svc.cluster.local", "productpage", "v1");
    }

    private static Route reviewsRoute(RecordingProxy proxy) {
        RouteConfiguration routes = (RouteConfiguration) proxy.accepted(XdsType.ROUTE).get("9080");
        VirtualHost reviews = routes.getVirtualHostsList().stream()
                .filter(v -> v.getName().equals(REVIEWS_HOST + ":9080")).findFirst().orElseThrow();
        return reviews.getRoutes(0);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weftd.httpPort() + path))
                .header("Content-Type", "application/yaml");
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return json.readTree(response.body());
    }

    @Test
    void servesEveryTypeAndAConfigChangeReachesTheProxy() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), productpage())) {
            proxy.subscribe(XdsType.CLUSTER);
            proxy.subscribe(XdsType.LISTENER);
            proxy.subscribe(XdsType.ROUTE, "9080");
            proxy.subscribe(XdsType.ENDPOINT, REVIEWS_CLUSTER);

            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accepted(XdsType.ROUTE).containsKey("9080")
                    && proxy.accepted(XdsType.ENDPOINT).containsKey(REVIEWS_CLUSTER));
            assertThat(proxy.accepted(XdsType.CLUSTER)).containsKeys(REVIEWS_CLUSTER,
                    "outbound|9080|v1|" + REVIEWS_HOST, "outbound|9080|v2|" + REVIEWS_HOST, "PassthroughCluster");
            assertThat(proxy.accepted(XdsType.LISTENER)).containsKeys("virtualOutbound", "0.0.0.0_9080");
            assertThat(reviewsRoute(proxy).getRoute().getCluster()).isEqualTo("outbound|9080|v1|" + REVIEWS_HOST);

            HttpResponse<String> applied = send("POST", "/apply", SPLIT);
            assertThat(applied.statusCode()).isEqualTo(200);
            assertThat(applied.body()).contains("VirtualService default/reviews");

            await().atMost(Duration.ofSeconds(5)).until(() -> reviewsRoute(proxy).getRoute().hasWeightedClusters());
            assertThat(reviewsRoute(proxy).getRoute().getWeightedClusters().getClustersList())
                    .extracting(c -> c.getName() + "=" + c.getWeight().getValue())
                    .containsExactly("outbound|9080|v1|" + REVIEWS_HOST + "=80", "outbound|9080|v2|" + REVIEWS_HOST + "=20");

            JsonNode syncz = get("/debug/syncz");
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    get("/debug/syncz").get(0).get("types").get("RDS").get("status").asText().equals("SYNCED"));
            assertThat(syncz.get(0).get("proxyID").asText()).contains("productpage-v1-abc.default");

            JsonNode dump = get("/debug/config_dump?proxyID=productpage-v1-abc.default");
            assertThat(dump.get("clusters").toString()).contains(REVIEWS_CLUSTER);
            assertThat(dump.get("routes").toString()).contains("weightedClusters");
        }
    }

    @Test
    void aRestartedWeftdServesWhatWasAppliedAndDeletedBeforeIt(@TempDir Path dataDir) throws Exception {
        WeftdOptions options = WeftdOptions.defaults().withConfigDir(configDir).withDataDir(dataDir).withPorts(0, 0)
                .withDebounce(Duration.ofMillis(10), Duration.ofMillis(100));
        weftd.close();
        weftd = Weftd.start(options);
        token = Files.readString(dataDir.resolve(Weftd.TOKEN_FILE)).strip();
        assertThat(send("POST", "/apply", SPLIT).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/apply", MESH.substring(MESH.indexOf("kind: DestinationRule") - "apiVersion: networking.istio.io/v1\n".length(),
                MESH.indexOf("---\napiVersion: networking.istio.io/v1\nkind: VirtualService"))).statusCode()).isEqualTo(200);
        String before = get("/debug/configz").toString();

        weftd.close();
        weftd = Weftd.start(options);

        assertThat(get("/debug/configz").toString()).isEqualTo(before).doesNotContain("DestinationRule")
                .contains("<apply>");
        // With a data directory the xDS port speaks TLS, with a certificate from the root weftd keeps there.
        try (RecordingProxy proxy = new RecordingProxy(MeshRootChannels.to(weftd.xdsPort(),
                dataDir.resolve("ca/root-cert.pem")), productpage())) {
            proxy.subscribe(XdsType.ROUTE, "9080");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accepted(XdsType.ROUTE).containsKey("9080"));
            assertThat(reviewsRoute(proxy).getRoute().getWeightedClusters().getClustersList())
                    .extracting(c -> c.getWeight().getValue()).containsExactly(80, 20);
        }
    }

    @Test
    void aConnectingSidecarRegistersItsWorkloadThroughAnEndpointOnlyPush() throws Exception {
        try (RecordingProxy productpage = new RecordingProxy(weftd.xdsPort(), productpage())) {
            productpage.subscribe(XdsType.CLUSTER);
            productpage.subscribe(XdsType.ENDPOINT, REVIEWS_CLUSTER);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    productpage.accepted(XdsType.ENDPOINT).containsKey(REVIEWS_CLUSTER));
            assertThat(((ClusterLoadAssignment) productpage.accepted(XdsType.ENDPOINT).get(REVIEWS_CLUSTER))
                    .getEndpointsCount()).isZero();
            long clustersBefore = productpage.responsesOf(XdsType.CLUSTER);

            try (RecordingProxy reviews = new RecordingProxy(weftd.xdsPort(),
                    sidecar("sidecar~127.0.0.1~reviews-v1-xyz.default~default.svc.cluster.local", "reviews", "v1"))) {
                reviews.subscribe(XdsType.CLUSTER);

                await().atMost(Duration.ofSeconds(5)).until(() -> endpointCount(productpage) == 1);
                ClusterLoadAssignment assignment =
                        (ClusterLoadAssignment) productpage.accepted(XdsType.ENDPOINT).get(REVIEWS_CLUSTER);
                assertThat(assignment.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress()
                        .getPortValue()).isEqualTo(9080);
                assertThat(productpage.responsesOf(XdsType.CLUSTER)).as("no CDS on an endpoint-only push")
                        .isEqualTo(clustersBefore);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> endpointCount(productpage) == 0);
        }
    }

    @Test
    void aChangeAProxyCannotSeeSendsItNothing() throws Exception {
        String teamOnlyService = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: team-api
                  namespace: team
                spec:
                  hosts:
                  - api.team.example
                  exportTo:
                  - "."
                  ports:
                  - number: 80
                    name: http
                    protocol: HTTP
                  resolution: DNS
                """;
        try (RecordingProxy productpage = new RecordingProxy(weftd.xdsPort(), productpage());
                RecordingProxy team = new RecordingProxy(weftd.xdsPort(),
                        sidecar("sidecar~127.0.0.2~client-abc.team~team.svc.cluster.local", "client", "v1"))) {
            for (RecordingProxy proxy : java.util.List.of(productpage, team)) {
                proxy.subscribe(XdsType.CLUSTER);
                proxy.subscribe(XdsType.LISTENER);
                proxy.subscribe(XdsType.ROUTE, "9080");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> productpage.accepted(XdsType.ROUTE).containsKey("9080")
                    && team.accepted(XdsType.ROUTE).containsKey("9080"));
            int before = productpage.received.size();

            assertThat(send("POST", "/apply", teamOnlyService).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    team.accepted(XdsType.CLUSTER).containsKey("outbound|80||api.team.example"));
            assertThat(send("POST", "/apply", SPLIT).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> reviewsRoute(productpage).getRoute().hasWeightedClusters());

            assertThat(productpage.received.subList(before, productpage.received.size()))
                    .as("productpage's responses after both changes: the routes of the one it can see")
                    .extracting(r -> XdsType.fromTypeUrl(r.getTypeUrl()).orElseThrow())
                    .containsExactly(XdsType.ROUTE);
            assertThat(productpage.accepted(XdsType.CLUSTER)).doesNotContainKey("outbound|80||api.team.example");
        }
    }

    private static int endpointCount(RecordingProxy proxy) {
        ClusterLoadAssignment cla = (ClusterLoadAssignment) proxy.accepted(XdsType.ENDPOINT).get(REVIEWS_CLUSTER);
        return cla == null ? -1 : cla.getEndpointsList().stream().mapToInt(l -> l.getLbEndpointsCount()).sum();
    }

    @Test
    void anInvalidFileIsRejectedAndTheOldConfigKeepsBeingServed() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), productpage())) {
            proxy.subscribe(XdsType.ROUTE, "9080");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accepted(XdsType.ROUTE).containsKey("9080"));

            Path staged = Files.writeString(configDir.resolveSibling(configDir.getFileName() + ".staged"),
                    MESH.replace("subset: v1", "subset: v2") + "---\n"
                            + SPLIT.replace("name: reviews\n  namespace", "name: broken\n  namespace")
                                    .replace("weight: 20", "weight: -20"));
            Files.move(staged, configDir.resolve("mesh.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            await().atMost(Duration.ofSeconds(10)).until(() -> get("/debug/configz").get("errors").size() > 0);
            assertThat(get("/debug/configz").get("errors").get(0).asText()).contains("mesh.yaml");
            assertThat(reviewsRoute(proxy).getRoute().getCluster()).isEqualTo("outbound|9080|v1|" + REVIEWS_HOST);
            assertThat(get("/debug/configz").get("resources").toString()).contains("\"reviews\"");

            HttpResponse<String> rejected = send("POST", "/apply", SPLIT.replace("weight: 20", "weight: -20"));
            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(rejected.body()).contains("weight");
        }
    }

    @Test
    void pushStatusIsConvergedOnlyWhileEveryProxyHoldsWhatItWasSent() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), productpage())) {
            proxy.subscribe(XdsType.ROUTE, "9080");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accepted(XdsType.ROUTE).containsKey("9080"));
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                JsonNode status = get("/debug/push_status");
                return !status.get("pushPending").asBoolean() && status.get("proxies").asInt() == 1
                        && status.get("inSync").asInt() == 1;
            });

            proxy.nackNext(XdsType.ROUTE, "route 9080: unknown cluster");
            assertThat(send("POST", "/apply", SPLIT).statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).until(() -> {
                JsonNode status = get("/debug/push_status");
                return !status.get("pushPending").asBoolean() && status.get("inSync").asInt() == 0;
            });
            assertThat(get("/debug/push_status").get("notInSync").get(0).asText())
                    .contains("productpage-v1-abc.default");
        }
    }

    @Test
    void aNackIsVisibleWithTheProxysError() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), productpage())) {
            proxy.subscribe(XdsType.ROUTE, "9080");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accepted(XdsType.ROUTE).containsKey("9080"));
            proxy.nackNext(XdsType.ROUTE, "route 9080: unknown cluster");

            assertThat(send("POST", "/apply", SPLIT).statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).until(() ->
                    get("/debug/syncz").get(0).get("types").get("RDS").get("nack").asText()
                            .equals("route 9080: unknown cluster"));
            JsonNode rds = get("/debug/syncz").get(0).get("types").get("RDS");
            assertThat(rds.get("status").asText()).isEqualTo("STALE");
            assertThat(rds.get("acked").asText()).isNotEqualTo(rds.get("sent").asText());
            assertThat(reviewsRoute(proxy).getRoute().getCluster()).as("the proxy kept what it had")
                    .isEqualTo("outbound|9080|v1|" + REVIEWS_HOST);
        }
    }

    @Test
    void aPortInUseFailsStartWithoutLeavingAnythingRunning() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            WeftdOptions clash = WeftdOptions.defaults().withConfigDir(configDir).withPorts(0, taken.getLocalPort());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Weftd.start(clash))
                    .isInstanceOf(java.io.IOException.class);
        }
        await("only the running weftd's watcher is left").atMost(Duration.ofSeconds(5)).until(() ->
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("weftd-config-watch") && t.isAlive()).count() == 1);
    }

    @Test
    void answersReadinessAndUnknownProxies() throws Exception {
        assertThat(get("/ready").get("ready").asBoolean()).isTrue();
        assertThat(send("GET", "/debug/config_dump?proxyID=nobody", null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", "/apply", "x").statusCode()).isEqualTo(405);
    }
}
