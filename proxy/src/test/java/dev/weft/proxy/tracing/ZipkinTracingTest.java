package dev.weft.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.RecordedRequest;
import dev.weft.testing.zipkin.ZipkinServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request through two sidecars, as in a mesh: the caller's outbound sidecar (CLIENT span) and the callee's inbound
 * sidecar (SERVER span), both reporting to a real Zipkin server, which must show one trace with the SERVER span the
 * CLIENT span's child.
 */
class ZipkinTracingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ZipkinServer zipkin;
    private static FakeHttpUpstream app;
    private static ProxyHarness inbound;
    private static ProxyHarness outbound;

    @BeforeAll
    static void start() {
        zipkin = ZipkinServer.start();
        app = FakeHttpUpstream.start("reviews");
        inbound = ProxyHarness.start(TracingBootstraps.sidecar("reviews", "INBOUND", 100, app.port(), zipkin.port()));
        outbound = ProxyHarness.start(TracingBootstraps.sidecar("productpage", "OUTBOUND", 100, inbound.port(),
                zipkin.port()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {outbound, inbound, app, zipkin}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // Closing the rest matters more.
                }
            }
        }
    }

    /** The trace's spans once Zipkin holds {@code count} of them. */
    private static List<JsonNode> awaitTrace(String traceId, int count) {
        List<JsonNode> spans = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = zipkin.get("/api/v2/trace/" + traceId);
            assertThat(body).as("trace %s in Zipkin", traceId).isNotNull();
            spans.clear();
            JSON.readTree(body).forEach(spans::add);
            assertThat(spans).hasSize(count);
        });
        return spans;
    }

    private static JsonNode kind(List<JsonNode> spans, String kind) {
        return spans.stream().filter(s -> s.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void oneTraceWithTheClientSpanAsTheServerSpansParent() {
        HttpResponse<String> response = outbound.get("/reviews/0?user=jason", "x-tag", "from-caller",
                "user-agent", "tracing-test");
        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest seen = app.requests().getLast();
        String traceId = seen.header("x-b3-traceid");

        List<JsonNode> spans = awaitTrace(traceId, 2);

        JsonNode client = kind(spans, "CLIENT");
        JsonNode server = kind(spans, "SERVER");
        assertThat(client.has("parentId")).isFalse();
        assertThat(server.path("parentId").asText()).isEqualTo(client.path("id").asText());
        assertThat(seen.header("x-b3-spanid")).isEqualTo(server.path("id").asText());
        assertThat(seen.header("x-b3-parentspanid")).isEqualTo(client.path("id").asText());
        assertThat(client.path("localEndpoint").path("serviceName").asText()).isEqualTo("productpage.default");
        assertThat(server.path("localEndpoint").path("serviceName").asText()).isEqualTo("reviews.default");
        assertThat(server.path("name").asText()).isEqualTo("ingress");
        assertThat(client.path("name").asText()).isEqualTo("egress 127.0.0.1:" + outbound.port());
        assertThat(server.path("duration").asLong()).isPositive();

        JsonNode tags = server.path("tags");
        assertThat(tags.path("component").asText()).isEqualTo("proxy");
        assertThat(tags.path("node_id").asText()).isEqualTo("sidecar~127.0.0.1~reviews.default~default.svc.cluster.local");
        assertThat(tags.path("zone").asText()).isEqualTo("zone-a");
        assertThat(tags.path("guid:x-request-id").asText()).isEqualTo(seen.header("x-request-id"));
        assertThat(tags.path("http.url").asText()).isEqualTo("http://127.0.0.1:" + outbound.port()
                + "/reviews/0?user=jason");
        assertThat(tags.path("http.method").asText()).isEqualTo("GET");
        assertThat(tags.path("http.protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(tags.path("http.status_code").asText()).isEqualTo("200");
        assertThat(tags.path("response_flags").asText()).isEqualTo("-");
        assertThat(tags.path("upstream_cluster").asText()).isEqualTo("next");
        assertThat(tags.path("upstream_cluster.name").asText()).isEqualTo("next");
        assertThat(tags.path("peer.address").asText()).isEqualTo("127.0.0.1");
        assertThat(tags.path("user_agent").asText()).isEqualTo("tracing-test");
        assertThat(tags.path("downstream_cluster").asText()).isEqualTo("-");
        assertThat(tags.path("request_size").asText()).isEqualTo("0");
        assertThat(tags.path("response_size").asLong()).isEqualTo(response.body().length());
        assertThat(tags.path("istio.canonical_service").asText()).isEqualTo("reviews");
        assertThat(tags.path("from_env").asText()).isEqualTo("env-default");
        assertThat(tags.path("from_header").asText()).isEqualTo("from-caller");
        assertThat(tags.has("error")).isFalse();
        assertThat(client.path("tags").path("istio.canonical_service").asText()).isEqualTo("productpage");
        assertThat(client.path("tags").path("guid:x-request-id").asText()).isEqualTo(seen.header("x-request-id"));
    }

    @Test
    void aServerErrorIsTaggedOnBothSpans() {
        HttpResponse<String> response = outbound.get("/ratings", "x-fake-status", "503");
        assertThat(response.statusCode()).isEqualTo(503);
        String traceId = app.requests().getLast().header("x-b3-traceid");

        List<JsonNode> spans = awaitTrace(traceId, 2);

        for (JsonNode span : spans) {
            assertThat(span.path("tags").path("error").asText()).isEqualTo("true");
            assertThat(span.path("tags").path("http.status_code").asText()).isEqualTo("503");
            assertThat(span.path("tags").path("from_header").asText()).isEqualTo("header-default");
        }
    }

    @Test
    void anUnsampledRequestReportsNoSpanOnAnyHop() {
        assertThat(outbound.get("/unsampled", "x-b3-sampled", "0").statusCode()).isEqualTo(200);
        RecordedRequest unsampled = app.requests().getLast();
        assertThat(unsampled.header("x-b3-sampled")).isEqualTo("0");
        assertThat(outbound.get("/sampled").statusCode()).isEqualTo(200);
        String sampledTrace = app.requests().getLast().header("x-b3-traceid");

        // Each proxy reports in order: once the later request's spans are in, the earlier one's would be too.
        awaitTrace(sampledTrace, 2);

        assertThat(zipkin.get("/api/v2/trace/" + unsampled.header("x-b3-traceid"))).isNull();
    }
}
