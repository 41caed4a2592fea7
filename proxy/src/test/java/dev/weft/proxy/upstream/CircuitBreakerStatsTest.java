package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.ResettingServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stats Istio's circuit-breaking task reads, with its settings (one connection, one pending request,
 * track_remaining as Istio sends it), against a real upstream that holds its answers until the test lets go.
 */
class CircuitBreakerStatsTest {

    private static final String CB = "cluster.web.circuit_breakers.default.";
    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private final CountDownLatch release = new CountDownLatch(1);
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        release.countDown();
        if (proxy != null) {
            proxy.close();
        }
        up.close();
    }

    /** One event loop, so the requests share one pool and the second waits as pending. */
    private void start(int port) {
        start(port, 1);
    }

    private void start(int port, int eventLoops) {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: web }
                """), "", Bootstraps.staticCluster("web", "ROUND_ROBIN", """
                circuit_breakers:
                  thresholds: [ { max_connections: 1, max_pending_requests: 1, max_requests: 4294967295, max_retries: 4294967295, track_remaining: true } ]
                """, port)), ProxyOptions.defaults().withWorkerThreads(eventLoops).withRandomSeed(3));
    }

    private long stat(String name) {
        return proxy.server().stats().value(name);
    }

    private String admin(String path) {
        try {
            return proxy.client().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + proxy.server().adminPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private CompletableFuture<HttpResponse<String>> send() {
        return proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void holdAnswers() {
        up.respondWith(r -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeHttpUpstream.echo(r);
        });
    }

    @Test
    void saturatedLimitsShowAsOpenBreakersAndPendingCounts() {
        holdAnswers();
        start(up.port());
        assertThat(stat(CB + "cx_open")).isZero();
        assertThat(stat(CB + "remaining_pending")).isEqualTo(1);

        CompletableFuture<HttpResponse<String>> first = send();
        await().atMost(Duration.ofSeconds(5)).until(() -> up.requestCount() == 1);
        CompletableFuture<HttpResponse<String>> second = send();
        await().atMost(Duration.ofSeconds(5)).until(() -> stat("cluster.web.upstream_rq_pending_active") == 1);
        assertThat(send().join().statusCode()).as("past one connection and one pending request").isEqualTo(503);

        assertThat(stat(CB + "cx_open")).isEqualTo(1);
        assertThat(stat(CB + "remaining_cx")).isZero();
        assertThat(stat(CB + "rq_pending_open")).isEqualTo(1);
        assertThat(stat(CB + "remaining_pending")).isZero();
        assertThat(stat(CB + "rq_open")).isZero();
        assertThat(stat(CB + "remaining_rq")).as("unlimited, as Istio sends it").isPositive();
        assertThat(stat("cluster.web.upstream_rq_pending_total")).as("each request that waited for a connection").isEqualTo(2);
        assertThat(stat("cluster.web.upstream_rq_pending_overflow")).isEqualTo(1);
        assertThat(admin("/stats?filter=pending")).contains(
                "cluster.web.circuit_breakers.default.rq_pending_open: 1",
                "cluster.web.circuit_breakers.default.remaining_pending: 0",
                "cluster.web.upstream_rq_pending_active: 1",
                "cluster.web.upstream_rq_pending_total: 2",
                "cluster.web.upstream_rq_pending_failure_eject: 0");
        assertThat(admin("/stats/prometheus")).contains(
                "envoy_cluster_circuit_breakers_default_rq_pending_open{envoy_cluster_name=\"web\"} 1",
                "envoy_cluster_circuit_breakers_default_cx_open{envoy_cluster_name=\"web\"} 1",
                "envoy_cluster_upstream_rq_pending_active{envoy_cluster_name=\"web\"} 1",
                "# TYPE envoy_cluster_upstream_rq_pending_total counter",
                "envoy_cluster_upstream_rq_pending_total{envoy_cluster_name=\"web\"} 2");

        release.countDown();
        assertThat(first.join().statusCode()).isEqualTo(200);
        assertThat(second.join().statusCode()).isEqualTo(200);
        assertThat(stat(CB + "rq_pending_open")).isZero();
        assertThat(stat(CB + "remaining_pending")).isEqualTo(1);
        assertThat(stat("cluster.web.upstream_rq_pending_active")).isZero();
    }

    /**
     * Two client connections land on the two event loops. The first loop's pool holds the only slot; the second
     * loop's pool, having no connection, opens one past the limit (as Envoy does) instead of waiting for a slot
     * that the first loop's idle connection would never give back.
     */
    @Test
    void aPoolWithNoConnectionOpensOnePastTheLimit() {
        holdAnswers();
        start(up.port(), 2);
        CompletableFuture<HttpResponse<String>> first = send();
        await().atMost(Duration.ofSeconds(5)).until(() -> up.requestCount() == 1);
        CompletableFuture<HttpResponse<String>> second = send();
        await().atMost(Duration.ofSeconds(5)).until(() -> up.requestCount() == 2);
        assertThat(stat(CB + "cx_open")).isEqualTo(1);
        release.countDown();
        assertThat(first.join().statusCode()).isEqualTo(200);
        assertThat(second.join().statusCode()).isEqualTo(200);
        assertThat(up.connectionCount()).isEqualTo(2);
    }

    @Test
    void aPendingRequestWhoseConnectionFailsCountsAsFailureEject() {
        start(ResettingServer.closedPort());
        assertThat(proxy.get("/").statusCode()).isEqualTo(503);
        assertThat(stat("cluster.web.upstream_rq_pending_total")).isEqualTo(1);
        assertThat(stat("cluster.web.upstream_rq_pending_failure_eject")).isEqualTo(1);
        assertThat(stat(CB + "cx_open")).as("the failed connection gave its slot back").isZero();
    }

    @Test
    void remainingGaugesNeedTrackRemaining() {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: web }
                """), "", Bootstraps.staticCluster("web", "ROUND_ROBIN", "", up.port())));
        assertThat(admin("/stats")).contains(CB + "rq_pending_open: 0").doesNotContain(CB + "remaining_");
    }
}
