package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthAndDnsTest {

    private final List<FakeHttpUpstream> ups = FakeHttpUpstream.startMany("h", 2);
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        ups.forEach(FakeHttpUpstream::close);
    }

    private Map<String, Integer> served(int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(proxy.get("/work").headers().firstValue(FakeHttpUpstream.NAME_HEADER).orElse("none"), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void activeHttpHealthCheckRemovesAndRestoresAHost() {
        AtomicBoolean sick = new AtomicBoolean(true);
        FakeHttpUpstream flaky = ups.get(0);
        flaky.respondWith(r -> r.uri().equals("/healthz") && sick.get() ? FakeResponse.of(503, "sick") : FakeHttpUpstream.echo(r));
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: web }
                """), "", Bootstraps.staticCluster("web", "ROUND_ROBIN", """
                health_checks:
                - timeout: 1s
                  interval: 0.05s
                  unhealthy_threshold: 1
                  healthy_threshold: 1
                  http_health_check: { path: /healthz }
                """, ups.get(0).port(), ups.get(1).port())));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                proxy.server().snapshot().clusters().get("web").hosts().get(0).failedActiveHealthCheck());
        assertThat(served(6)).containsOnlyKeys(ups.get(1).name());

        sick.set(false);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                !proxy.server().snapshot().clusters().get("web").hosts().get(0).failedActiveHealthCheck());
        assertThat(served(6)).containsKeys(flaky.name(), ups.get(1).name());
        assertThat(proxy.server().stats().value("cluster.web.health_check.failure")).isPositive();
    }

    @Test
    void strictDnsResolvesNames() {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: dns }
                """), "", """
                  - name: dns
                    type: STRICT_DNS
                    dns_lookup_family: V4_ONLY
                    load_assignment:
                      cluster_name: dns
                      endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: localhost, port_value: %d } } } } ] } ]
                """.formatted(ups.get(0).port())));
        assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        assertThat(proxy.server().snapshot().clusters().get("dns").hosts())
                .anySatisfy(h -> assertThat(((java.net.InetSocketAddress) h.address()).getAddress().isLoopbackAddress()).isTrue());
    }
}
