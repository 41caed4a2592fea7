package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ManualTicker;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamIntegrationTest {

    private final List<FakeHttpUpstream> ups = FakeHttpUpstream.startMany("u", 3);
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        ups.forEach(FakeHttpUpstream::close);
    }

    private void start(String routeAction, String lb, String clusterExtra, ProxyOptions options) {
        String yaml = Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: web %s }
                """.formatted(routeAction)), "",
                Bootstraps.staticCluster("web", lb, clusterExtra, ups.stream().mapToInt(FakeHttpUpstream::port).toArray()));
        proxy = options == null ? ProxyHarness.start(yaml) : ProxyHarness.start(yaml, options);
    }

    private Map<String, Integer> served(int n, String... headers) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = proxy.get("/", headers);
            assertThat(r.statusCode()).isEqualTo(200);
            counts.merge(r.headers().firstValue(FakeHttpUpstream.NAME_HEADER).orElseThrow(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void randomSpreadsOverAllHosts() {
        start("", "RANDOM", "", null);
        Map<String, Integer> c = served(300);
        assertThat(c).hasSize(3);
        c.values().forEach(v -> assertThat(v).isBetween(60, 140));
    }

    @Test
    void leastRequestServesEveryHost() {
        start("", "LEAST_REQUEST", "", null);
        assertThat(served(60)).hasSize(3);
    }

    @Test
    void ringHashAndMaglevKeepAUserOnOneHost() {
        for (String lb : List.of("RING_HASH", "MAGLEV")) {
            start(", hash_policy: [ { header: { header_name: x-user } } ]", lb, "", null);
            Set<String> hostsSeen = new HashSet<>();
            for (int user = 0; user < 20; user++) {
                Map<String, Integer> c = served(5, "x-user", "user-" + user);
                assertThat(c).as(lb + " user " + user).hasSize(1);
                hostsSeen.addAll(c.keySet());
            }
            assertThat(hostsSeen).as(lb + " spreads users").hasSizeGreaterThan(1);
            proxy.close();
            proxy = null;
        }
    }

    @Test
    void circuitBreakerOverflowIs503UO() {
        ups.forEach(u -> u.respondWith(r -> FakeResponse.of(200, "slow").withDelay(Duration.ofMillis(600))));
        start("", "ROUND_ROBIN", """
                circuit_breakers:
                  thresholds: [ { max_requests: 2 } ]
                """, null);
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        inFlight.forEach(f -> {
            HttpResponse<String> r = f.join();
            statuses.merge(r.statusCode(), 1, Integer::sum);
            if (r.statusCode() == 503) {
                assertThat(r.headers().firstValue("x-envoy-overloaded")).contains("true");
            }
        });
        assertThat(statuses.get(200)).isEqualTo(2);
        assertThat(statuses.get(503)).isEqualTo(3);
        assertThat(proxy.server().stats().value("cluster.web.upstream_rq_pending_overflow")).isEqualTo(3);
    }

    /**
     * Istio's circuit-breaking task settings: one connection that retires after one request and one pending
     * request. The waiting request (on another host, maybe another event loop) must get a connection when the
     * first one retires, and nothing may stay counted afterwards (a leak would overflow every later request).
     */
    @Test
    void aWaitingRequestGetsTheNextConnectionWhenOneRetires() {
        ups.forEach(u -> u.respondWith(r -> FakeResponse.of(200, "slow").withDelay(Duration.ofMillis(300))));
        start("", "ROUND_ROBIN", """
                circuit_breakers:
                  thresholds: [ { max_connections: 1, max_pending_requests: 1 } ]
                typed_extension_protocol_options:
                  envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                    "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                    common_http_protocol_options: { max_requests_per_connection: 1 }
                    explicit_http_config: { http_protocol_options: {} }
                """, ProxyOptions.defaults().withWorkerThreads(2));
        // The first request holds the only connection; the second then waits as the one pending request.
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        inFlight.add(send());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ups.stream().mapToInt(FakeHttpUpstream::requestCount).sum() == 1);
        inFlight.add(send());
        inFlight.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        for (int i = 0; i < 3; i++) {
            assertThat(proxy.get("/").statusCode()).as("request %d after the burst", i).isEqualTo(200);
        }
        assertThat(proxy.server().stats().value("cluster.web.upstream_rq_pending_overflow")).isZero();
    }

    private CompletableFuture<HttpResponse<String>> send() {
        return proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void outlierDetectionEjectsAFailingHostAndBringsItBack() {
        FakeHttpUpstream bad = ups.get(0);
        bad.respondWith(r -> FakeResponse.of(500, "broken"));
        ManualTicker ticker = new ManualTicker();
        start("", "ROUND_ROBIN", """
                outlier_detection: { consecutive_5xx: 2, interval: 1s, base_ejection_time: 10s, max_ejection_percent: 50 }
                """, ProxyOptions.defaults().withWorkerThreads(1).withRandomSeed(1).withTicker(ticker));
        for (int i = 0; i < 12; i++) {
            proxy.get("/");
        }
        assertThat(bad.requestCount()).isEqualTo(2);
        assertThat(proxy.server().stats().value("cluster.web.outlier_detection.ejections_enforced_total")).isEqualTo(1);
        assertThat(served(10)).doesNotContainKey(bad.name());

        ticker.advance(Duration.ofSeconds(11));
        bad.respondWith(FakeHttpUpstream::echo);
        assertThat(served(9)).containsEntry(bad.name(), 3);
    }
}
