package dev.weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.Protos;
import dev.weft.proxy.RawHttp1Connection;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Config changes at run time: atomic swaps, last good config on rejection, draining of removed listeners. */
class ConfigUpdateTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        up.close();
    }

    private void start(String hcmExtras) {
        proxy = ProxyHarness.start(Bootstraps.http(hcmExtras, Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
    }

    @Test
    void aRejectedClusterKeepsItsLastGoodVersion() {
        start("");
        var errors = proxy.server().applyClusters(List.of(Protos.fromYaml("""
                name: up
                type: STATIC
                connect_timeout: -1s
                """, Cluster.newBuilder())), true);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.toString()).isEqualTo(
                "cluster up: connect_timeout must be greater than zero"));
        assertThat(proxy.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void aRemovedListenerDrainsInFlightRequests() throws Exception {
        up.respondWith(r -> FakeResponse.of(200, "finished").withDelay(Duration.ofMillis(500)));
        start("");
        int port = proxy.port();
        CompletableFuture<HttpResponse<String>> inFlight = proxy.client().sendAsync(
                HttpRequest.newBuilder(proxy.uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> up.requestCount() == 1);

        assertThat(proxy.server().applyListeners(List.<Listener>of(), true)).isEmpty();
        // Static listeners survive a dynamic update; only an update of the static set removes them.
        assertThat(proxy.server().listenerPort("ingress")).isEqualTo(port);
        assertThat(proxy.server().applyListeners(List.<Listener>of(), false)).isEmpty();
        assertThat(proxy.server().listenerPort("ingress")).isEqualTo(-1);

        assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS).body()).as("the in-flight request finished on its old config").isEqualTo("finished");
        try (var s = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000)).isInstanceOf(ConnectException.class);
        }
    }

    /** The ingress listener again (port 0: where it is bound), with a connection manager of this stat prefix. */
    private Listener ingressWithStatPrefix(String statPrefix) {
        return Protos.fromYaml("""
                name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains:
                - filters:
                  - name: envoy.filters.network.http_connection_manager
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: %s
                      route_config: { virtual_hosts: [ { name: all, domains: ["*"], routes: [ { match: { prefix: / }, route: { cluster: up } } ] } ] }
                      http_filters: [ { name: envoy.filters.http.router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                """.formatted(statPrefix), Listener.newBuilder());
    }

    /**
     * A connection keeps the chain it was accepted on; when an update changes that chain its connections drain, as
     * in Envoy (else a keep-alive connection would outlive, say, a STRICT mTLS policy). An unchanged chain keeps
     * them.
     */
    @Test
    void aChangedFilterChainDrainsItsKeepAliveConnectionsAndAnUnchangedOneKeepsThem() throws Exception {
        start("");
        assertThat(proxy.server().applyListeners(List.of(ingressWithStatPrefix("first")), false)).isEmpty();
        try (var idle = new RawHttp1Connection(proxy.port());
                var busy = new RawHttp1Connection(proxy.port())) {
            idle.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle.read().status()).isEqualTo(200);

            assertThat(proxy.server().applyListeners(List.of(ingressWithStatPrefix("first")), false)).isEmpty();
            idle.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle.read().closesConnection()).as("the same listener again changes nothing").isFalse();

            up.respondWith(r -> FakeResponse.of(200, "slow").withDelay(Duration.ofMillis(500)));
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> up.requestCount() == 3);
            assertThat(proxy.server().applyListeners(List.of(ingressWithStatPrefix("second")), false)).isEmpty();

            assertThat(idle.closedByPeer()).as("an idle connection of the old chain closes").isTrue();
            RawHttp1Connection.Response last = busy.read();
            assertThat(last.body()).isEqualTo("slow");
            assertThat(last.closesConnection()).as("a busy one finishes its request, then closes").isTrue();
        }
        try (var fresh = new RawHttp1Connection(proxy.port())) {
            fresh.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(fresh.read().status()).isEqualTo(200);
            assertThat(proxy.server().stats().value("http.second.downstream_rq_total")).isEqualTo(1);
        }
    }

    @Test
    void useRemoteAddressAppendsTheClientToXForwardedFor() {
        start(Bootstraps.indent("use_remote_address: true", 10));
        HttpResponse<String> r = proxy.get("/", "x-forwarded-for", "203.0.113.7");
        assertThat(r.body()).contains("x-forwarded-for: 203.0.113.7, 127.0.0.1");
    }

    @Test
    void streamIdleTimeoutAnswers408() {
        up.respondWith(r -> FakeResponse.of(200, "late").withDelay(Duration.ofSeconds(3)));
        start(Bootstraps.indent("stream_idle_timeout: 0.2s", 10));
        assertThat(proxy.get("/").statusCode()).isEqualTo(408);
    }
}
