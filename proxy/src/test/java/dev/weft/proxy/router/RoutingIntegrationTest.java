package dev.weft.proxy.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutingIntegrationTest {

    private final FakeHttpUpstream a = FakeHttpUpstream.start("a");
    private final FakeHttpUpstream b = FakeHttpUpstream.start("b");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        a.close();
        b.close();
    }

    private void start(String routes) {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost(routes), "",
                Bootstraps.staticCluster("a", "ROUND_ROBIN", "", a.port())
                        + Bootstraps.staticCluster("b", "ROUND_ROBIN", "", b.port())));
    }

    @Test
    void weightedClustersSplitWithinStatisticalBounds() {
        start("""
                - match: { prefix: / }
                  route:
                    weighted_clusters:
                      clusters: [ { name: a, weight: 80 }, { name: b, weight: 20 } ]
                """);
        int n = 400;
        for (int i = 0; i < n; i++) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        }
        // 80% of 400 = 320; 4 standard deviations (8 requests each) covers any seed.
        assertThat((double) a.requestCount()).isCloseTo(320, within(32.0));
        assertThat(a.requestCount() + b.requestCount()).isEqualTo(n);
    }

    @Test
    void clusterHeaderChoosesTheCluster() {
        start("""
                - match: { prefix: / }
                  route: { cluster_header: x-target }
                """);
        assertThat(proxy.get("/", "x-target", "b").headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("b");
        assertThat(proxy.get("/", "x-target", "a").headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("a");
        assertThat(proxy.get("/", "x-target", "nope").statusCode()).isEqualTo(503);
    }

    @Test
    void directResponseAndRedirect() {
        start("""
                - match: { path: /health }
                  direct_response: { status: 200, body: { inline_string: "ok" } }
                - match: { prefix: /old }
                  redirect: { prefix_rewrite: /new, response_code: FOUND }
                - match: { prefix: /secure }
                  redirect: { https_redirect: true }
                """);
        HttpResponse<String> health = proxy.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok");

        HttpResponse<String> moved = proxy.get("/old/page?x=1");
        assertThat(moved.statusCode()).isEqualTo(302);
        assertThat(moved.headers().firstValue("location")).contains("http://127.0.0.1:" + proxy.port() + "/new/page?x=1");

        HttpResponse<String> secure = proxy.get("/secure");
        assertThat(secure.statusCode()).isEqualTo(301);
        assertThat(secure.headers().firstValue("location")).contains("https://127.0.0.1/secure");
    }

    @Test
    void noRouteIs404AndUnknownClusterIs503() {
        start("""
                - match: { prefix: /known }
                  route: { cluster: a }
                - match: { prefix: /ghost }
                  route: { cluster: ghost }
                """);
        assertThat(proxy.get("/elsewhere").statusCode()).isEqualTo(404);
        assertThat(proxy.get("/ghost").statusCode()).isEqualTo(503);
        assertThat(a.requestCount()).isZero();
    }

    @Test
    void rewritesAndHeaderMutations() {
        start("""
                - match: { prefix: /api/ }
                  route: { cluster: a, prefix_rewrite: /v2/, host_rewrite_literal: backend.internal }
                  request_headers_to_add: [ { header: { key: x-added, value: "yes" } } ]
                  request_headers_to_remove: [ x-secret ]
                  response_headers_to_add: [ { header: { key: x-served-by, value: weft } } ]
                  response_headers_to_remove: [ x-upstream ]
                """);
        HttpResponse<String> response = proxy.get("/api/items?id=3", "x-secret", "s3cr3t");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("GET /v2/items?id=3 ");
        assertThat(response.body()).contains("host: backend.internal").contains("x-added: yes")
                .contains("x-envoy-original-path: /api/items?id=3").doesNotContain("s3cr3t");
        assertThat(response.headers().firstValue("x-served-by")).contains("weft");
        assertThat(response.headers().firstValue(FakeHttpUpstream.NAME_HEADER)).isEmpty();
    }
}
