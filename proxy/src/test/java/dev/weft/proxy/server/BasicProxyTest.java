package dev.weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BasicProxyTest {

    private final List<FakeHttpUpstream> upstreams = FakeHttpUpstream.startMany("web", 2);
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstreams.forEach(FakeHttpUpstream::close);
    }

    private void startProxy() {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: "/" }
                  route: { cluster: web }
                """), "", Bootstraps.staticCluster("web", "ROUND_ROBIN", "",
                upstreams.get(0).port(), upstreams.get(1).port())));
    }

    @Test
    void forwardsAGetAndAddsRequestIdAndForwardedProto() {
        startProxy();
        HttpResponse<String> response = proxy.get("/hello?x=1", "user-agent", "test-agent");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("GET /hello?x=1 HTTP/1.1");
        assertThat(response.body()).containsPattern("x-request-id: [0-9a-f-]{36}");
        assertThat(response.body()).contains("x-forwarded-proto: http");
        assertThat(response.headers().firstValue("server")).contains("weft");
        assertThat(response.headers().firstValue("x-envoy-upstream-service-time")).isPresent();
    }

    @Test
    void roundRobinAlternatesBetweenHosts() {
        startProxy();
        for (int i = 0; i < 10; i++) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        }
        assertThat(upstreams.get(0).requestCount()).isEqualTo(5);
        assertThat(upstreams.get(1).requestCount()).isEqualTo(5);
    }

    @Test
    void streamsARequestBodyUpstream() {
        startProxy();
        String body = "x".repeat(200_000);
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith(body);
        int total = upstreams.get(0).requestCount() + upstreams.get(1).requestCount();
        assertThat(total).isEqualTo(1);
    }

    @Test
    void passesUpstreamStatusThrough() {
        startProxy();
        HttpResponse<String> response = proxy.get("/", "x-fake-status", "418");
        assertThat(response.statusCode()).isEqualTo(418);
        // Stats are recorded when the exchange completes, just after the last byte is written.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                proxy.server().stats().value("http.ingress_http.downstream_rq_4xx") == 1);
    }
}
