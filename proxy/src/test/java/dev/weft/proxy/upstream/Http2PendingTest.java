package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.testing.upstream.FakeHttp2Upstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP/2 pool queues requests past the server's stream limit as pending, within max_pending_requests. */
class Http2PendingTest {

    private final FakeHttp2Upstream h2 = FakeHttp2Upstream.start("h2", 1);
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        h2.close();
    }

    private void start(String circuitBreakers) {
        String cluster = Bootstraps.staticCluster("h2", "ROUND_ROBIN", Bootstraps.HTTP2_UPSTREAM + circuitBreakers,
                h2.port());
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: h2 }
                """), "", cluster), ProxyOptions.defaults().withWorkerThreads(1).withRandomSeed(1));
        assertThat(proxy.get("/warm").statusCode()).as("the connection and the server's SETTINGS are in place").isEqualTo(200);
    }

    /** Sends {@code n} requests at once, each held by the server for {@code delayMillis}; returns them in order. */
    private List<HttpResponse<String>> concurrently(int n, int delayMillis) {
        List<CompletableFuture<HttpResponse<String>>> futures = IntStream.range(0, n)
                .mapToObj(i -> proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/slow/" + i))
                        .header("x-fake-delay-ms", String.valueOf(delayMillis)).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void requestsPastTheServersStreamLimitWaitInsteadOfFailing() {
        start("");

        List<HttpResponse<String>> responses = concurrently(4, 300);

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(h2.maxConcurrentRequests()).as("never more streams than the server allows").isEqualTo(1);
        assertThat(h2.requestCount()).isEqualTo(5);
    }

    @Test
    void pastMaxPendingRequestsTheRequestOverflowsWith503() {
        start("circuit_breakers: { thresholds: [ { max_pending_requests: 1 } ] }\n");

        List<HttpResponse<String>> responses = concurrently(3, 2000);

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 200, 503);
        HttpResponse<String> overflowed = responses.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
        assertThat(overflowed.headers().firstValue("x-envoy-overloaded")).contains("true");
        assertThat(proxy.server().stats().value("cluster.h2.upstream_rq_pending_overflow")).isEqualTo(1);
    }
}
