package dev.weft.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.Template;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.TcpEchoServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

    private static final String BOOTSTRAP = """
            static_resources:
              listeners:
              - name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                listener_filters:
                - name: envoy.filters.listener.http_inspector
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector }
                filter_chains:
                - filter_chain_match: { application_protocols: [ "http/1.1", "h2c" ] }
                  filters:
                  - name: envoy.filters.network.http_connection_manager
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: http
                      route_config:
                        virtual_hosts: [ { name: all, domains: ["*"], routes: [ { match: { prefix: / }, route: { cluster: web } } ] } ]
                      http_filters: [ { name: router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                default_filter_chain:
                  filters:
                  - name: envoy.filters.network.tcp_proxy
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                      stat_prefix: raw
                      idle_timeout: ${idle}
                      weighted_clusters:
                        clusters: [ { name: echo-a, weight: 1 }, { name: echo-b, weight: 1 } ]
              clusters:
              - name: web
                load_assignment: { cluster_name: web, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${web} } } } } ] } ] }
              - name: echo-a
                load_assignment: { cluster_name: echo-a, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${a} } } } } ] } ] }
              - name: echo-b
                load_assignment: { cluster_name: echo-b, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${b} } } } } ] } ] }
            """;

    private final TcpEchoServer a = TcpEchoServer.start("A:");
    private final TcpEchoServer b = TcpEchoServer.start("B:");
    private final FakeHttpUpstream web = FakeHttpUpstream.start("web");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        a.close();
        b.close();
        web.close();
    }

    private void start(String idle) {
        proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("idle", idle, "web", web.port(),
                "a", a.port(), "b", b.port())));
    }

    @Test
    void relaysBytesToWeightedClustersAndCountsThem() throws Exception {
        start("60s");
        int connections = 40;
        for (int i = 0; i < connections; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("ping" + i).getBytes(StandardCharsets.UTF_8));
                String expected = "X:ping" + i;
                String got = new String(s.getInputStream().readNBytes(expected.length()), StandardCharsets.UTF_8);
                assertThat(got).matches("[AB]:ping" + i);
            }
        }
        assertThat(a.connectionCount() + b.connectionCount()).isEqualTo(connections);
        assertThat(a.connectionCount()).isBetween(8, 32);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(proxy.server().stats().value("tcp.raw.downstream_cx_total")).isEqualTo(connections);
            assertThat(proxy.server().stats().value("tcp.raw.downstream_cx_active")).isZero();
        });
        // Each connection received "pingN" and sent back "X:" plus the echo.
        assertThat(proxy.server().stats().value("tcp.raw.downstream_cx_rx_bytes_total")).isEqualTo(
                proxy.server().stats().value("tcp.raw.downstream_cx_tx_bytes_total") - 2L * connections);
    }

    @Test
    void httpInspectorSendsHttpToTheConnectionManager() {
        start("60s");
        HttpResponse<String> response = proxy.get("/via-http");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("GET /via-http");
    }

    @Test
    void idleTimeoutClosesAQuietConnection() throws Exception {
        start("0.3s");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("hi".getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).matches("[AB]:hi");
            assertThat(in.read()).as("closed by the idle timeout").isEqualTo(-1);
        }
        assertThat(proxy.server().stats().value("tcp.raw.idle_timeout")).isEqualTo(1);
    }

    @Test
    void aClientThatWritesAndHalfClosesAtOnceGetsTheWholeReply() throws Exception {
        start("60s");
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                s.setSoTimeout(5000);
                // Data and FIN arrive before the proxy's upstream connection is up.
                s.getOutputStream().write(("request" + i).getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(reply).as("connection %d", i).matches("[AB]:request" + i);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(proxy.server().stats().value("tcp.raw.downstream_cx_active")).isZero());
    }

    @Test
    void anUpstreamHalfCloseReachesTheClientWhoMayStillSend() throws Exception {
        try (HalfClosingServer server = HalfClosingServer.start()) {
            proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("idle", "60s", "web", web.port(),
                    "a", server.port(), "b", server.port())));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                s.getOutputStream().write("first".getBytes(StandardCharsets.UTF_8));
                // The server says its piece and half-closes; the client sees the end of the stream but can still write.
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye");
                s.getOutputStream().write("second".getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                assertThat(server.received()).isEqualTo("firstsecond");
            }
        }
    }
}
