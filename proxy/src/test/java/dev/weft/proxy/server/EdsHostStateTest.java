package dev.weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ManualTicker;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.Protos;
import dev.weft.proxy.upstream.Host;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import dev.weft.testing.upstream.KeepAliveHttpUpstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An EDS update keeps the hosts that stay, with their pooled connections, ejection and active health. */
class EdsHostStateTest {

    private final List<AutoCloseable> upstreams = new ArrayList<>();
    private ProxyHarness proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (AutoCloseable u : upstreams) {
            u.close();
        }
    }

    private KeepAliveHttpUpstream keepAlive(String name) {
        KeepAliveHttpUpstream u = KeepAliveHttpUpstream.start(name);
        upstreams.add(u);
        return u;
    }

    /** A proxy whose route goes to the EDS cluster "eds", made with {@code clusterExtra} fields. */
    private void start(String clusterExtra, ManualTicker ticker) {
        ProxyOptions options = ProxyOptions.defaults().withWorkerThreads(1).withRandomSeed(7);
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: eds }
                """), "", ""), ticker == null ? options : options.withTicker(ticker));
        assertThat(proxy.server().applyClusters(List.of(Protos.fromYaml("""
                name: eds
                type: EDS
                connect_timeout: 1s
                eds_cluster_config: { eds_config: { ads: {} } }
                """ + clusterExtra, Cluster.newBuilder())), true)).isEmpty();
    }

    private void endpoints(int weight, int... ports) {
        String lbEndpoints = java.util.Arrays.stream(ports).mapToObj(p -> """
                { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }, load_balancing_weight: %d }"""
                .formatted(p, weight)).collect(Collectors.joining(", "));
        assertThat(proxy.server().applyEndpoints(List.of(Protos.fromYaml(
                "cluster_name: eds\nendpoints: [ { lb_endpoints: [ " + lbEndpoints + " ] } ]\n",
                ClusterLoadAssignment.newBuilder())))).isEmpty();
    }

    private Host host(int port) {
        return proxy.server().snapshot().clusters().get("eds").hosts().stream()
                .filter(h -> h.port() == port).findFirst().orElseThrow();
    }

    private String servedBy() {
        HttpResponse<String> r = proxy.get("/");
        return r.statusCode() + " " + r.headers().firstValue(FakeHttpUpstream.NAME_HEADER).orElse("-");
    }

    @Test
    void aKeptHostKeepsItsPooledConnectionAndARemovedHostsPoolIsClosed() {
        KeepAliveHttpUpstream kept = keepAlive("kept");
        KeepAliveHttpUpstream removed = keepAlive("removed");
        start("", null);
        endpoints(1, kept.port(), removed.port());
        for (int i = 0; i < 4; i++) {
            assertThat(servedBy()).startsWith("200 ");
        }
        assertThat(kept.acceptedConnections()).isEqualTo(1);
        assertThat(removed.acceptedConnections()).isEqualTo(1);
        Host before = host(kept.port());

        endpoints(5, kept.port());
        assertThat(host(kept.port())).as("the same host, with the new weight").isSameAs(before);
        assertThat(before.weight()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> removed.openConnections() == 0);
        for (int i = 0; i < 3; i++) {
            assertThat(servedBy()).isEqualTo("200 kept");
        }
        assertThat(kept.acceptedConnections()).as("requests after the update reuse the pooled connection").isEqualTo(1);
        assertThat(kept.openConnections()).isEqualTo(1);
    }

    @Test
    void anEjectedHostStaysEjectedAcrossAnUpdate() {
        KeepAliveHttpUpstream bad = keepAlive("bad").respondWith(500);
        KeepAliveHttpUpstream good = keepAlive("good");
        KeepAliveHttpUpstream added = keepAlive("added");
        ManualTicker ticker = new ManualTicker();
        start("outlier_detection: { consecutive_5xx: 1, base_ejection_time: 30s, max_ejection_percent: 100 }\n", ticker);
        endpoints(1, bad.port(), good.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            servedBy();
            return host(bad.port()).isEjected();
        });

        endpoints(1, bad.port(), good.port(), added.port());
        assertThat(host(bad.port()).isEjected()).isTrue();
        int badRequests = bad.requestCount();
        for (int i = 0; i < 6; i++) {
            assertThat(servedBy()).isIn("200 good", "200 added");
        }
        assertThat(bad.requestCount()).as("no request reaches the ejected host").isEqualTo(badRequests);
        assertThat(proxy.server().stats().value("cluster.eds.outlier_detection.ejections_enforced_total")).isEqualTo(1);
    }

    @Test
    void activeHealthStateAndTheCheckerSurviveAnUpdate() {
        AtomicBoolean sick = new AtomicBoolean(true);
        FakeHttpUpstream flaky = FakeHttpUpstream.start("flaky");
        FakeHttpUpstream steady = FakeHttpUpstream.start("steady");
        upstreams.add(flaky);
        upstreams.add(steady);
        flaky.respondWith(r -> r.uri().equals("/healthz") && sick.get() ? FakeResponse.of(503, "sick") : FakeHttpUpstream.echo(r));
        start("""
                health_checks:
                - timeout: 1s
                  interval: 0.05s
                  unhealthy_threshold: 1
                  healthy_threshold: 1
                  http_health_check: { path: /healthz }
                """, null);
        endpoints(1, flaky.port(), steady.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> host(flaky.port()).failedActiveHealthCheck());

        endpoints(2, flaky.port(), steady.port());
        assertThat(host(flaky.port()).failedActiveHealthCheck()).as("health state kept").isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(servedBy()).isEqualTo("200 steady");
        }
        long attempts = proxy.server().stats().value("cluster.eds.health_check.attempt");
        sick.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !host(flaky.port()).failedActiveHealthCheck());
        assertThat(proxy.server().stats().value("cluster.eds.health_check.attempt"))
                .as("the health checker keeps running after the update").isGreaterThan(attempts);
    }
}
