package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ads.XdsType;
import dev.weft.controlplane.metrics.StrictPrometheusText;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd's {@code GET /metrics} under istiod's names, scraped from a running weftd while a real ADS client connects,
 * gets pushes, NACKs and leaves, and while config is accepted and rejected. Every scrape is read strictly.
 */
class WeftdMetricsTest {

    private static final String VIRTUAL_SERVICES =
            "{group=\"networking.istio.io\",resource=\"virtualservices\",version=\"v1\"}";
    private static final String REVIEWS_CLUSTER = WeftdTest.REVIEWS_CLUSTER;
    private static final String SPLIT = WeftdTest.SPLIT;

    @TempDir
    Path configDir;

    private Weftd weftd;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(configDir.resolve("mesh.yaml"), WeftdTest.MESH);
        weftd = Weftd.start(WeftdOptions.defaults().withConfigDir(configDir).withPorts(0, 0)
                .withDebounce(Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() throws Exception {
        weftd.close();
    }

    private static Node productpage(String istioVersion) {
        Struct.Builder metadata = Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(
                Struct.newBuilder().putFields("app", Value.newBuilder().setStringValue("productpage").build())).build());
        if (!istioVersion.isEmpty()) {
            metadata.putFields("ISTIO_VERSION", Value.newBuilder().setStringValue(istioVersion).build());
        }
        return Node.newBuilder().setId("sidecar~127.0.0.1~productpage-v1-abc.default~default.svc.cluster.local")
                .setMetadata(metadata).build();
    }

    private Map<String, Double> scrape() throws Exception {
        return StrictPrometheusText.scrape(weftd.httpPort());
    }

    private double metric(String series) throws Exception {
        return scrape().getOrDefault(series, 0.0);
    }

    private int apply(String yaml) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weftd.httpPort() + "/apply"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(yaml)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String pushes(XdsType type) {
        return "pilot_xds_pushes{type=\"" + type.shortName().toLowerCase(Locale.ROOT) + "\"}";
    }

    private static RecordingProxy subscribedToAll(Weftd weftd, Node node) {
        RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), node);
        proxy.subscribe(XdsType.CLUSTER);
        proxy.subscribe(XdsType.ENDPOINT, REVIEWS_CLUSTER);
        proxy.subscribe(XdsType.LISTENER);
        proxy.subscribe(XdsType.ROUTE, "9080");
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accepted(XdsType.ROUTE).containsKey("9080")
                && proxy.accepted(XdsType.ENDPOINT).containsKey(REVIEWS_CLUSTER));
        return proxy;
    }

    /** Every response the only proxy got is counted by its type, and the metric has caught up with it. */
    private void awaitPushesMatch(RecordingProxy proxy) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Double> now = scrape();
            for (XdsType type : new XdsType[] {XdsType.CLUSTER, XdsType.ENDPOINT, XdsType.LISTENER, XdsType.ROUTE}) {
                assertThat(now.get(pushes(type))).as(type.name()).isEqualTo((double) proxy.responsesOf(type));
            }
        });
    }

    @Test
    void aConfigChangeCountsOnePushOfWhatChangedOneTriggerAndOneConvergence() throws Exception {
        try (RecordingProxy proxy = subscribedToAll(weftd, productpage(""))) {
            awaitPushesMatch(proxy);
            Map<String, Double> before = scrape();
            Map<XdsType, Long> receivedBefore = new EnumMap<>(XdsType.class);
            for (XdsType type : XdsType.values()) {
                receivedBefore.put(type, proxy.responsesOf(type));
            }
            assertThat(before.get("pilot_proxy_convergence_time_count")).as("no push yet").isZero();

            assertThat(apply(SPLIT)).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> ((RouteConfiguration) proxy.accepted(XdsType.ROUTE)
                    .get("9080")).getVirtualHostsList().stream().anyMatch(v -> v.getRoutes(0).getRoute()
                    .hasWeightedClusters()));
            awaitPushesMatch(proxy);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> metric("pilot_proxy_convergence_time_count") == 1.0);

            Map<String, Double> after = scrape();
            assertThat(proxy.responsesOf(XdsType.ROUTE) - receivedBefore.get(XdsType.ROUTE)).isEqualTo(1);
            assertThat(after.get(pushes(XdsType.ROUTE)) - before.get(pushes(XdsType.ROUTE))).isEqualTo(1);
            assertThat(after.get(pushes(XdsType.CLUSTER))).as("a VirtualService leaves clusters alone")
                    .isEqualTo(before.get(pushes(XdsType.CLUSTER)));
            assertThat(after.get(pushes(XdsType.ENDPOINT))).isEqualTo(before.get(pushes(XdsType.ENDPOINT)));
            assertThat(after.get("pilot_push_triggers{type=\"config\"}")).as("one config push to one proxy")
                    .isEqualTo(1.0);
            assertThat(after.get("pilot_proxy_convergence_time_bucket{le=\"+Inf\"}")).isEqualTo(1.0);
            assertThat(after.get("pilot_xds_push_time_count{type=\"rds\"}")).isEqualTo(after.get(pushes(XdsType.ROUTE)));
            assertThat(after.get("pilot_xds_config_size_bytes_count{type=\"" + XdsType.ROUTE.typeUrl() + "\"}"))
                    .isEqualTo(after.get(pushes(XdsType.ROUTE)));
            assertThat(after.get("pilot_xds_config_size_bytes_sum{type=\"" + XdsType.ROUTE.typeUrl() + "\"}"))
                    .as("bytes were sent").isGreaterThan(0);
            assertThat(after.get("pilot_xds_pushes{type=\"rds_senderr\"}")).isZero();
            assertThat(after.get("pilot_total_xds_internal_errors")).isZero();
        }
    }

    @Test
    void aNackCountsAsARejectOfItsTypeAndOfTheRejectingNode() throws Exception {
        try (RecordingProxy proxy = subscribedToAll(weftd, productpage(""))) {
            proxy.nackNext(XdsType.ROUTE, "route 9080: unknown cluster");
            assertThat(apply(SPLIT)).isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).until(() -> metric("pilot_total_xds_rejects{type=\"rds\"}") == 1.0);
            Map<String, Double> scraped = scrape();
            assertThat(scraped.get("pilot_xds_rds_reject{err=\"InvalidArgument\",node=\""
                    + "sidecar~127.0.0.1~productpage-v1-abc.default~default.svc.cluster.local\"}")).isEqualTo(1.0);
            assertThat(scraped.get("pilot_total_xds_rejects{type=\"cds\"}")).isZero();
            assertThat(scraped.get("pilot_total_xds_rejects{type=\"lds\"}")).isZero();
        }
    }

    @Test
    void connectedProxiesCountByIstioVersionAndFallBackToZeroWhenTheyLeave() throws Exception {
        try (RecordingProxy unversioned = subscribedToAll(weftd, productpage(""))) {
            try (RecordingProxy versioned = subscribedToAll(weftd, productpage("1.24.0"))) {
                Map<String, Double> both = scrape();
                assertThat(both.get("pilot_xds{version=\"unknown\"}")).isEqualTo(1.0);
                assertThat(both.get("pilot_xds{version=\"1.24.0\"}")).isEqualTo(1.0);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> metric("pilot_xds{version=\"1.24.0\"}") == 0.0);
            assertThat(metric("pilot_xds{version=\"unknown\"}")).isEqualTo(1.0);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("pilot_xds{version=\"unknown\"}") == 0.0);
        assertThat(scrape()).containsKey("pilot_xds{version=\"unknown\"}");
    }

    @Test
    void everyValidatedResourceCountsAsPassedOrFailedAsIstiodsWebhookCountsIt() throws Exception {
        Map<String, Double> started = scrape();
        assertThat(started.get("galley_validation_passed{group=\"\",resource=\"services\",version=\"v1\"}"))
                .isEqualTo(1.0);
        assertThat(started.get("galley_validation_passed"
                + "{group=\"networking.istio.io\",resource=\"destinationrules\",version=\"v1\"}")).isEqualTo(1.0);
        String failedVirtualServices = "galley_validation_failed{group=\"networking.istio.io\","
                + "reason=\"invalid_resource\",resource=\"virtualservices\",version=\"v1\"}";
        assertThat(started).doesNotContainKey(failedVirtualServices);

        assertThat(apply(SPLIT.replace("weight: 20", "weight: -20"))).isEqualTo(400);
        assertThat(metric(failedVirtualServices)).isEqualTo(1.0);
        assertThat(metric("galley_validation_passed" + VIRTUAL_SERVICES)).as("the directory's").isEqualTo(1.0);
        assertThat(apply(SPLIT)).isEqualTo(200);
        assertThat(metric("galley_validation_passed" + VIRTUAL_SERVICES)).isEqualTo(2.0);

        Files.writeString(configDir.resolve("broken.yaml"), SPLIT.replace("weight: 20", "weight: -20"));
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(failedVirtualServices) == 2.0);
        Files.writeString(configDir.resolve("unreadable.yaml"), "kind: [unclosed\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(
                "galley_validation_failed{group=\"\",reason=\"yaml_decode_error\",resource=\"\",version=\"\"}") >= 1.0);
    }

    @Test
    void aScrapeIsStrictPrometheusTextWithTheFamiliesIstiosPilotDashboardReads() throws Exception {
        try (RecordingProxy proxy = subscribedToAll(weftd, productpage(""))) {
            proxy.nackNext(XdsType.ROUTE, "route 9080: unknown cluster");
            assertThat(apply(SPLIT.replace("weight: 20", "weight: -20"))).isEqualTo(400);
            assertThat(apply(SPLIT)).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> metric("pilot_total_xds_rejects{type=\"rds\"}") == 1.0);

            Map<String, Double> scraped = scrape();
            assertThat(scraped.keySet().stream().map(k -> k.replaceFirst("\\{.*", "")).distinct())
                    .contains("istio_build", "pilot_xds", "pilot_xds_pushes", "pilot_push_triggers",
                            "pilot_total_xds_rejects", "pilot_total_xds_internal_errors", "pilot_xds_push_time_bucket",
                            "pilot_xds_config_size_bytes_bucket", "pilot_proxy_convergence_time_bucket",
                            "galley_validation_passed", "galley_validation_failed", "citadel_server_csr_count",
                            "process_cpu_seconds_total", "process_start_time_seconds", "jvm_memory_used_bytes",
                            "jvm_threads_current");
            String build = scraped.keySet().stream().filter(k -> k.startsWith("istio_build{")).findFirst().orElseThrow();
            assertThat(build).startsWith("istio_build{component=\"pilot\",tag=\"").doesNotContain("${");
            assertThat(scraped.get(build)).isEqualTo(1.0);
            assertThat(scraped.get("process_cpu_seconds_total")).isGreaterThan(0);
            assertThat(scraped.get("jvm_memory_used_bytes{area=\"heap\"}")).isGreaterThan(0);
            assertThat(scraped).as("no CA without a data directory, so no root to expire")
                    .doesNotContainKey("citadel_server_root_cert_expiry_timestamp");
        }
    }
}
