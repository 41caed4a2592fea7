package dev.weft.proxy.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Istio's standard request metrics between two real proxies, as a client sidecar (productpage, reporter source) and
 * a server sidecar (reviews v1, reporter destination) count them: each learns the other's workload from the
 * {@code x-envoy-peer-metadata} exchange, which neither app sees, and both label the same requests alike.
 */
class IstioStatsTest {

    private static final String OUTBOUND = "outbound|9080||reviews.default.svc.cluster.local";
    private final FakeHttpUpstream app = FakeHttpUpstream.start("reviews");
    private ProxyHarness server;
    private ProxyHarness client;

    @AfterEach
    void stop() {
        for (ProxyHarness p : new ProxyHarness[] {client, server}) {
            if (p != null) {
                p.close();
            }
        }
        app.close();
    }

    private static String node(String workload, String app, String version) {
        return """
                node:
                  id: sidecar~127.0.0.1~%s.default~default.svc.cluster.local
                  metadata:
                    WORKLOAD_NAME: %s
                    NAMESPACE: default
                    CLUSTER_ID: Kubernetes
                    LABELS: { app: %s, version: %s }
                """.formatted(workload, workload, app, version);
    }

    private static String stats(String reporter, String services) {
        return Bootstraps.indent("""
                - name: istio.stats
                  typed_config:
                    "@type": type.googleapis.com/xds.type.v3.TypedStruct
                    type_url: type.googleapis.com/stats.PluginConfig
                    value: { reporter: %s%s }
                """.formatted(reporter, services), 10);
    }

    private void start() {
        start("");
    }

    /** {@code clientMetrics}: Telemetry's overrides for the client side, as weftd writes them, or "". */
    private void start(String clientMetrics) {
        server = ProxyHarness.start(node("reviews-v1", "reviews", "v1") + Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: "inbound|9080||" }
                """), stats("destination", ", inbound_services: [ { host: reviews.default.svc.cluster.local, "
                + "name: reviews, namespace: default } ]"),
                Bootstraps.staticCluster("inbound|9080||", "ROUND_ROBIN", "", app.port())));
        client = ProxyHarness.start(node("productpage-v1", "productpage", "v1") + Bootstraps.http("",
                Bootstraps.anyHost("""
                        - match: { prefix: / }
                          route: { cluster: "%s" }
                        """.formatted(OUTBOUND)), stats("source", clientMetrics),
                Bootstraps.staticCluster(OUTBOUND, "ROUND_ROBIN", "", server.port())));
    }

    private static String prometheus(ProxyHarness proxy) {
        return proxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().adminPort()
                + "/stats/prometheus")).build()).body();
    }

    /** The value of the one {@code metric} series whose labels include every pair of {@code labels}. */
    private static long value(String text, String metric, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "\\{(.*)} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        List<Long> found = new java.util.ArrayList<>();
        while (m.find()) {
            String all = m.group(1);
            if (labels.entrySet().stream().allMatch(e -> all.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                found.add((long) Double.parseDouble(m.group(2)));
            }
        }
        assertThat(found).as("%s series with %s in\n%s", metric, labels, text).hasSize(1);
        return found.getFirst();
    }

    @Test
    void bothSidesCountTheRequestsWithEachOthersWorkload() {
        app.respondInSequence(200, 200, 503);
        start();
        for (int i = 0; i < 3; i++) {
            client.get("/reviews/0");
        }
        assertThat(app.requests()).allSatisfy(r -> {
            assertThat(r.header(WorkloadMetadata.PEER_METADATA_HEADER)).as("the app never sees the exchange").isNull();
        });

        Map<String, String> both = Map.of("source_workload", "productpage-v1", "source_app", "productpage",
                "source_canonical_service", "productpage", "destination_workload", "reviews-v1",
                "destination_version", "v1", "destination_canonical_revision", "v1",
                "destination_service", "reviews.default.svc.cluster.local", "destination_service_name", "reviews",
                "destination_service_namespace", "default", "request_protocol", "http");
        String clientText = prometheus(client);
        Map<String, String> source200 = with(both, "reporter", "source", "response_code", "200");
        assertThat(value(clientText, "istio_requests_total", source200)).isEqualTo(2);
        assertThat(value(clientText, "istio_requests_total", with(both, "reporter", "source", "response_code", "503")))
                .isEqualTo(1);
        assertThat(clientText).contains("connection_security_policy=\"unknown\"", "response_flags=\"-\"",
                "source_cluster=\"Kubernetes\"");
        assertThat(value(clientText, "istio_request_duration_milliseconds_count", source200)).isEqualTo(2);
        assertThat(value(clientText, "istio_request_duration_milliseconds_bucket", with(source200, "le", "+Inf")))
                .isEqualTo(2);
        assertThat(value(clientText, "istio_response_bytes_count", source200)).isEqualTo(2);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(value(prometheus(server),
                "istio_requests_total", with(both, "reporter", "destination", "response_code", "200"))).isEqualTo(2));
        assertThat(prometheus(server)).contains("connection_security_policy=\"none\"",
                "source_principal=\"unknown\"");
    }

    @Test
    void telemetryOverridesDropMetricsRemoveTagsAndAddTagsFromRequestAttributes() {
        app.respondInSequence(200, 503, 200);
        start(", metrics: [ { name: requests_total, tags_to_remove: [ response_code ], dimensions: { request_method:"
                + " \"request.method\", note: \"'from-telemetry'\" } }, { name: request_bytes, drop: true } ]");
        for (int i = 0; i < 3; i++) {
            client.get("/reviews/0");
        }
        String text = prometheus(client);
        assertThat(value(text, "istio_requests_total", Map.of("reporter", "source", "request_method", "GET",
                "note", "from-telemetry"))).as("200s and the 503 are one series once response_code is gone")
                .isEqualTo(3);
        assertThat(text).doesNotContain("istio_request_bytes").contains("istio_response_bytes_count{");
        assertThat(text.lines().filter(l -> l.startsWith("istio_requests_total{")))
                .allSatisfy(l -> assertThat(l).doesNotContain("response_code="));
        assertThat(text.lines().filter(l -> l.startsWith("istio_response_bytes_count{")))
                .allSatisfy(l -> assertThat(l).contains("response_code=").doesNotContain("request_method"));
    }

    @Test
    void aLocalReplyIsCountedWithItsResponseFlags() {
        start();
        server.close();
        server = null;
        assertThat(client.get("/down").statusCode()).isEqualTo(503);
        assertThat(value(prometheus(client), "istio_requests_total", Map.of("reporter", "source",
                "response_code", "503", "response_flags", "UF", "destination_workload", "unknown",
                "destination_service_name", "reviews"))).isEqualTo(1);
    }

    /**
     * Istio's metrics and the proxy's own stats count the same requests: fault aborts (FI) and delays (DI) from a
     * route's fault config, and circuit breaker overflows (UO).
     */
    @Test
    void responseFlagsCountTheRequestsTheProxysOwnStatsCount() {
        start();
        String fault = "envoy.filters.http.fault:\n  \"@type\": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault\n";
        ProxyHarness faulty = ProxyHarness.start(node("ratings-v1", "ratings", "v1") + Bootstraps.http("",
                Bootstraps.anyHost("""
                        - match: { prefix: /abort }
                          route: { cluster: "%1$s" }
                          typed_per_filter_config:
                        %2$s      abort: { http_status: 503, percentage: { numerator: 50 } }
                        - match: { prefix: /delay }
                          route: { cluster: "%1$s" }
                          typed_per_filter_config:
                        %2$s      delay: { fixed_delay: 0.001s, percentage: { numerator: 50 } }
                        - match: { prefix: /full }
                          route: { cluster: full }
                        """.formatted(OUTBOUND, Bootstraps.indent(fault, 4))),
                stats("source", "") + Bootstraps.indent("""
                        - name: envoy.filters.http.fault
                          typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault }
                        """, 10),
                Bootstraps.staticCluster(OUTBOUND, "ROUND_ROBIN", "", server.port())
                        + Bootstraps.staticCluster("full", "ROUND_ROBIN", """
                                circuit_breakers: { thresholds: [ { max_requests: 0 } ] }
                                """, server.port())));
        try {
            for (int i = 0; i < 40; i++) {
                faulty.get("/abort");
                faulty.get("/delay");
            }
            for (int i = 0; i < 5; i++) {
                assertThat(faulty.get("/full").statusCode()).isEqualTo(503);
            }
            String text = prometheus(faulty);
            var stats = faulty.server().stats();
            long aborts = stats.value("http.ingress_http.fault.aborts_injected");
            long delays = stats.value("http.ingress_http.fault.delays_injected");
            assertThat(aborts).as("half of 40, give or take chance").isBetween(5L, 35L);
            assertThat(delays).isBetween(5L, 35L);
            assertThat(value(text, "istio_requests_total", Map.of("response_flags", "FI", "response_code", "503")))
                    .isEqualTo(aborts);
            assertThat(value(text, "istio_requests_total", Map.of("response_flags", "DI", "response_code", "200")))
                    .isEqualTo(delays);
            assertThat(value(text, "istio_requests_total", Map.of("response_flags", "UO", "response_code", "503")))
                    .isEqualTo(stats.value("cluster.full.upstream_rq_pending_overflow")).isEqualTo(5);
        } finally {
            faulty.close();
        }
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> m = new java.util.HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void aPeerHeaderThatIsNotMetadataCountsAsUnknown() {
        assertThat(WorkloadMetadata.fromHeader("not base64!")).isEqualTo(WorkloadMetadata.UNKNOWN);
        WorkloadMetadata reviews = new WorkloadMetadata("reviews-v1", "default", "reviews", "v1", "reviews", "v1",
                "Kubernetes", "spiffe://cluster.local/ns/default/sa/bookinfo-reviews");
        assertThat(WorkloadMetadata.fromHeader(reviews.toHeader())).isEqualTo(reviews);
    }

    @Test
    void aFullTableDropsNewSeriesAndCountsThem() {
        IstioMetrics metrics = new IstioMetrics(WorkloadMetadata.UNKNOWN);
        io.netty.util.concurrent.EventExecutor loop = io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE;
        RequestLabels labels = new RequestLabels();
        labels.peer = WorkloadMetadata.UNKNOWN;
        labels.service = DestinationService.UNKNOWN;
        labels.sourcePrincipal = "unknown";
        labels.destinationPrincipal = "unknown";
        labels.grpcStatus = "";
        labels.security = RequestLabels.Security.NONE;
        labels.protocol = RequestLabels.Protocol.HTTP;
        for (int code = 0; code < IstioMetrics.MAX_SERIES_PER_LOOP + 5; code++) {
            labels.responseCode = code;
            metrics.record(loop, labels.seal(), 1, 1, 1);
        }
        assertThat(metrics.droppedRequests()).isEqualTo(5);
        assertThat(metrics.snapshot()).hasSize(IstioMetrics.MAX_SERIES_PER_LOOP);
    }
}
