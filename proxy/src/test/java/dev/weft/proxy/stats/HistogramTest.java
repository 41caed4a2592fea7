package dev.weft.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void bucketsKeepTwoSignificantDigits() {
        assertThat(Histogram.bucket(7)).isEqualTo(7);
        assertThat(Histogram.lower(Histogram.bucket(99))).isEqualTo(99);
        assertThat(Histogram.lower(Histogram.bucket(100))).isEqualTo(100);
        assertThat(Histogram.lower(Histogram.bucket(1234))).isEqualTo(1200);
        assertThat(Histogram.lower(Histogram.bucket(987_654))).isEqualTo(980_000);
        assertThat(Histogram.bucket(Long.MAX_VALUE)).as("clamped to the last bucket").isEqualTo(819);
    }

    @Test
    void quantilesInterpolateAndPrintAsEnvoyDoes() {
        Histogram h = new Histogram();
        assertThat(h.snapshot().envoyQuantiles()).startsWith("P0(nan,nan) P25(nan,nan)").endsWith("P100(nan,nan)");
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        Histogram.Snapshot s = h.snapshot();
        assertThat(s.quantile(0.5)).isCloseTo(50, within(1.0));
        assertThat(s.quantile(0.99)).isCloseTo(99, within(1.0));
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.sum()).isEqualTo(5050);
        assertThat(s.envoyQuantiles()).startsWith("P0(1,1) P25(25,25) P50(50,50)").contains("P99.5(").endsWith("P100(109,109)");
        // Envoy's bounds 0.5, 1, 5, 10, 25, 50, 100, 250 ...: cumulative.
        assertThat(s.cumulativeBuckets()).startsWith(0L, 1L, 5L, 10L, 25L, 50L, 100L, 100L);
    }

    @Test
    void adminPrintsRequestTimesAsQuantilesAndPrometheusHistograms() throws Exception {
        try (FakeHttpUpstream up = FakeHttpUpstream.start("up");
                ProxyHarness proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                        - match: { prefix: / }
                          route: { cluster: up }
                        """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())))) {
            assertThat(proxy.get("/", "x-fake-delay-ms", "60").statusCode()).isEqualTo(200);
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);

            String stats = admin(proxy, "/stats?filter=rq_time");
            assertThat(stats).containsPattern("(?m)^cluster\\.up\\.upstream_rq_time: P0\\(\\d+,\\d+\\) P25\\(")
                    .containsPattern("(?m)^http\\.ingress_http\\.downstream_rq_time: P0\\(");
            String prometheus = admin(proxy, "/stats/prometheus");
            assertThat(prometheus).contains("# TYPE envoy_cluster_upstream_rq_time histogram\n")
                    .contains("envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"up\",le=\"0.5\"} ")
                    .contains("envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"up\",le=\"+Inf\"} 2\n")
                    .contains("envoy_cluster_upstream_rq_time_count{envoy_cluster_name=\"up\"} 2\n")
                    .contains("envoy_http_downstream_rq_time_count{envoy_http_conn_manager_prefix=\"ingress_http\"} 2\n")
                    .as("the delayed request took more than 50 ms")
                    .containsPattern("envoy_cluster_upstream_rq_time_bucket\\{envoy_cluster_name=\"up\",le=\"50\"} [01]\n");
        }
    }

    private static String admin(ProxyHarness proxy, String path) throws Exception {
        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + proxy.server().adminPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
