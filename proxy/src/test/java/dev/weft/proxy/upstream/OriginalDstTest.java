package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.Template;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.TcpEchoServer;
import java.net.InetAddress;
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
        proxy = ProxyHarness.start("""
                static_resources:
                  listeners:
                  - name: ingress
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains:
                    - filters:
                      - name: hcm
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                          stat_prefix: h
                          route_config: { virtual_hosts: [ { name: all, domains: ["*"], routes: [ { match: { prefix: / }, route: { cluster: passthrough } } ] } ] }
                          http_filters: [ { name: router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                  clusters:
                  - name: passthrough
                    type: ORIGINAL_DST
                    lb_policy: CLUSTER_PROVIDED
                    original_dst_lb_config: { use_http_header: true }
                """);
        assertThat(proxy.get("/", "x-envoy-original-dst-host", "127.0.0.1:" + a.port())
                .headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("a");
        assertThat(proxy.get("/", "x-envoy-original-dst-host", "127.0.0.1:" + b.port())
                .headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("b");
        assertThat(proxy.get("/", "x-envoy-original-dst-host", "localhost:" + a.port()).statusCode())
                .as("names are not resolved on the request path").isEqualTo(503);
        assertThat(proxy.get("/").statusCode()).isEqualTo(503);
    }

    @Test
    void aTransparentListenerBindsWithIpTransparentAndServes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "needs epoll");
        var result = new dev.weft.proxy.bootstrap.BootstrapLoader().parse("""
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
                """);
        var bootstrap = ((dev.weft.proxy.bootstrap.BootstrapResult.Valid) result).bootstrap();
        try (var server = dev.weft.proxy.server.ProxyServer.start(bootstrap,
                dev.weft.proxy.server.ProxyOptions.defaults().withWorkerThreads(1))) {
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
}
