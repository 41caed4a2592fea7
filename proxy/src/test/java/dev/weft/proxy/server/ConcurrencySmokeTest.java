package dev.weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bounded burst of concurrent requests: every one answered, and every counter of in-flight work back to zero. */
class ConcurrencySmokeTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 100;

    private final List<FakeHttpUpstream> ups = FakeHttpUpstream.startMany("c", 3);
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        ups.forEach(FakeHttpUpstream::close);
    }

    @Test
    void concurrentMixedRequestsAllSucceedAndNothingStaysInFlight() throws Exception {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: web, retry_policy: { retry_on: 5xx, num_retries: 1 } }
                """), "", Bootstraps.staticCluster("web", "LEAST_REQUEST", "",
                ups.stream().mapToInt(FakeHttpUpstream::port).toArray())));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < PER_THREAD; i++) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(proxy.uri("/t" + thread + "/" + i)).timeout(Duration.ofSeconds(10));
                    if (i % 3 == 0) {
                        b.POST(HttpRequest.BodyPublishers.ofString("body-" + thread + "-" + i));
                    }
                    HttpResponse<String> r = proxy.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("/t" + thread + "/" + i)) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        int ok = 0;
        for (Future<Integer> f : results) {
            ok += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(THREADS * PER_THREAD);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(proxy.server().stats().value("http.ingress_http.downstream_rq_active")).isZero();
            assertThat(proxy.server().snapshot().clusters().get("web").hosts())
                    .allSatisfy(h -> assertThat(h.activeRequests().get()).isZero());
        });
        assertThat(proxy.server().stats().value("cluster.web.upstream_rq_total")).isEqualTo(THREADS * PER_THREAD);
    }
}
