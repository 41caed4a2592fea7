package dev.weft.proxy.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CorsAndMirrorTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private final FakeHttpUpstream shadow = FakeHttpUpstream.start("shadow");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
        shadow.close();
    }

    private void start(String routeExtras) {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route:
                    cluster: up
                """ + Bootstraps.indent(routeExtras, 4)), Bootstraps.indent("""
                - name: envoy.filters.http.cors
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors }
                """, 10), Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())
                + Bootstraps.staticCluster("shadow", "ROUND_ROBIN", "", shadow.port())));
    }

    @Test
    void corsPreflightAndSimpleRequests() {
        start("""
                cors:
                  allow_origin_string_match: [ { exact: "https://app.example" }, { suffix: ".trusted.example" } ]
                  allow_methods: GET, POST
                  allow_headers: content-type
                  max_age: "600"
                """);
        HttpResponse<String> preflight = proxy.send(HttpRequest.newBuilder(proxy.uri("/api"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("origin", "https://app.example").header("access-control-request-method", "POST").build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("https://app.example");
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).contains("GET, POST");
        assertThat(up.requestCount()).as("preflight answered by the proxy").isZero();

        HttpResponse<String> simple = proxy.get("/api", "origin", "https://x.trusted.example");
        assertThat(simple.headers().firstValue("access-control-allow-origin")).contains("https://x.trusted.example");

        HttpResponse<String> foreign = proxy.get("/api", "origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(200);
        assertThat(foreign.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void mirrorsRequestsToTheShadowClusterWithoutWaitingForIt() {
        shadow.respondWith(r -> FakeHttpUpstream.echo(r).withDelay(Duration.ofSeconds(2)));
        start("request_mirror_policies: [ { cluster: shadow } ]");
        long start = System.nanoTime();
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/m"))
                .POST(HttpRequest.BodyPublishers.ofString("copy-me")).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> shadow.requestCount() == 1);
        assertThat(shadow.requests().get(0).header("host")).endsWith("-shadow:" + proxy.port());
        assertThat(shadow.requests().get(0).bodyText()).isEqualTo("copy-me");
    }

    @Test
    void mirrorFractionSendsOnlyAShare() {
        start("request_mirror_policies: [ { cluster: shadow, runtime_fraction: { default_value: { numerator: 0 } } } ]");
        for (int i = 0; i < 20; i++) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        }
        assertThat(shadow.requestCount()).isZero();
    }
}
