package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.Template;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.TcpEchoServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OriginalDstTest {

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

    @Test
    void routesToTheHostNamedByTheOriginalDestinationHeader() {
        proxy = ProxyHarness.start(passthrough("{ use_http_header: true }"));
        assertThat(proxy.get("/", "x-envoy-original-dst-host", "127.0.0.1:" + a.port())
                .headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("a");
        assertThat(proxy.get("/", "x-envoy-original-dst-host", "127.0.0.1:" + b.port())
                .headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("b");
        assertThat(proxy.get("/", "x-envoy-original-dst-host", "localhost:" + a.port()).statusCode())
                .as("names are not resolved on the request path").isEqualTo(503);
        assertThat(proxy.get("/").statusCode()).isEqualTo(503);
    }

    @Test
    void anExplicitProxyClientReachesTheAuthorityItAskedFor() throws Exception {
        // Istio's PassthroughCluster under explicit capture: the destination is the request's :authority.
        proxy = ProxyHarness.start(passthrough("{ use_http_header: true, http_header_name: \":authority\" }"));
        HttpClient viaProxy = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (FakeHttpUpstream upstream : List.of(a, b)) {
            HttpResponse<String> response = viaProxy.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + upstream.port() + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains(upstream.name());
        }
        HttpResponse<String> named = viaProxy.send(HttpRequest.newBuilder(URI.create("http://localhost:" + a.port() + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(named.statusCode()).as("a name is no original destination (Envoy: 503 UH)").isEqualTo(503);
        assertThat(named.body()).isEqualTo("no healthy upstream");
        assertThat(proxy.server().stats().value("cluster.passthrough.original_dst_host_invalid")).isEqualTo(1);
    }

    @Test
    void aHeaderNameWithoutUseHttpHeaderIsRejected() {
        try (var server = ProxyHarness.startServer(passthrough("{ http_header_name: \":authority\" }"),
                ProxyOptions.defaults().withWorkerThreads(1))) {
            assertThat(server.configErrors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("invalid config http_header_name=:authority and use_http_header is false"));
        }
    }

    @Test
    void aTransparentListenerBindsWithIpTransparentAndServes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "needs epoll");
        try (ProxyServer server = ProxyHarness.startServer("""
                static_resources:
                  listeners:
                  - name: ingress
                    transparent: true
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains:
                    - filters:
                      - name: hcm
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                          stat_prefix: h
                          route_config: { virtual_hosts: [ { name: all, domains: ["*"], routes: [ { match: { prefix: / }, direct_response: { status: 204 } } ] } ] }
                          http_filters: [ { name: router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                """, ProxyOptions.defaults().withWorkerThreads(1))) {
            // IP_TRANSPARENT needs CAP_NET_ADMIN: without it the listener is rejected with a message, never half-bound.
            if (server.configErrors().isEmpty()) {
                assertThat(server.listenerPort("ingress")).isPositive();
            } else {
                assertThat(server.configErrors().get(0).message()).contains("cannot bind");
                assertThat(server.listenerPort("ingress")).isEqualTo(-1);
            }
        }
    }

    @Test
    void aListenerUsingTheOriginalDestinationServesWithoutRedirection() throws Exception {
        try (TcpEchoServer echo = TcpEchoServer.start("E:")) {
            // No iptables here: SO_ORIGINAL_DST is absent, so the local address stands in and the chain still runs.
            proxy = ProxyHarness.start(Template.of("""
                    static_resources:
                      listeners:
                      - name: ingress
                        address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                        listener_filters: [ { name: envoy.filters.listener.original_dst, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst } } ]
                        filter_chains:
                        - filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: echo } } ]
                      clusters:
                      - name: echo
                        load_assignment: { cluster_name: echo, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${echo} } } } } ] } ] }
                    """).render(Map.of("echo", echo.port())));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(s.getInputStream().readNBytes(3), StandardCharsets.UTF_8)).isEqualTo("E:x");
            }
        }
    }

    /** An HTTP listener routing everything to an ORIGINAL_DST cluster "passthrough" with this lb config. */
    private static String passthrough(String originalDstLbConfig) {
        return Bootstraps.http("", Bootstraps.anyHost("- match: { prefix: / }\n  route: { cluster: passthrough }"), "",
                "  - name: passthrough\n    type: ORIGINAL_DST\n    lb_policy: CLUSTER_PROVIDED\n"
                        + "    original_dst_lb_config: " + originalDstLbConfig + "\n");
    }
}
