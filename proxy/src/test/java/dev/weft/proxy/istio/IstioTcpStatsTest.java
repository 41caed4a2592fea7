package dev.weft.proxy.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.TcpEchoServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Istio's TCP metrics between two real proxies in front of an echo server: the client side (reporter source) names
 * the service from its cluster, the server side (reporter destination) from its port's services; both count the
 * connection opened and closed and the bytes each way, as the proxy that reports sees them.
 */
class IstioTcpStatsTest {

    private static final String OUTBOUND = "outbound|9000||tcp-echo.default.svc.cluster.local";
    private final TcpEchoServer echo = TcpEchoServer.start("hello ");
    private ProxyHarness server;
    private ProxyHarness client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        echo.close();
    }

    private static String bootstrap(String workload, String reporter, String services, String cluster, int port) {
        return """
                node:
                  id: sidecar~127.0.0.1~%1$s.default~default.svc.cluster.local
                  metadata: { WORKLOAD_NAME: %1$s, NAMESPACE: default, LABELS: { app: %1$s } }
                admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }
                static_resources:
                  listeners:
                  - name: ingress
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains:
                    - filters:
                      - name: istio.stats
                        typed_config:
                          "@type": type.googleapis.com/xds.type.v3.TypedStruct
                          type_url: type.googleapis.com/stats.PluginConfig
                          value: { reporter: %2$s%3$s }
                      - name: envoy.filters.network.tcp_proxy
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                          stat_prefix: tcp
                          cluster: "%4$s"
                  clusters:
                  - name: "%4$s"
                    load_assignment: { cluster_name: "%4$s", endpoints: [ { lb_endpoints: [ { endpoint: { address:
                      { socket_address: { address: 127.0.0.1, port_value: %5$d } } } } ] } ] }
                """.formatted(workload, reporter, services, cluster, port);
    }

    private static String prometheus(ProxyHarness proxy) {
        return proxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().adminPort()
                + "/stats/prometheus")).build()).body();
    }

    @Test
    void bothSidesCountTheConnectionAndItsBytes() throws Exception {
        server = ProxyHarness.start(bootstrap("tcp-echo-v1", "destination", ", inbound_services: [ { host: "
                + "tcp-echo.default.svc.cluster.local, name: tcp-echo, namespace: default } ]", "inbound|9000||",
                echo.port()));
        client = ProxyHarness.start(bootstrap("sleep", "source", "", OUTBOUND, server.port()));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), client.port())) {
            socket.getOutputStream().write("world".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }
        String sourceSeries = "reporter=\"source\",source_workload=\"sleep\"";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(prometheus(client))
                .containsPattern("istio_tcp_connections_opened_total\\{" + sourceSeries + ".*"
                        + "destination_service=\"tcp-echo.default.svc.cluster.local\".*request_protocol=\"tcp\","
                        + "response_flags=\"-\",connection_security_policy=\"unknown\"} 1\n")
                .containsPattern("istio_tcp_connections_closed_total\\{" + sourceSeries + ".*} 1\n")
                .containsPattern("istio_tcp_sent_bytes_total\\{" + sourceSeries + ".*} 11\n")
                .containsPattern("istio_tcp_received_bytes_total\\{" + sourceSeries + ".*} 5\n")
                .doesNotContain("response_code"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(prometheus(server))
                .containsPattern("istio_tcp_connections_closed_total\\{reporter=\"destination\",source_workload="
                        + "\"unknown\".*destination_workload=\"tcp-echo-v1\".*destination_service_name=\"tcp-echo\".*"
                        + "connection_security_policy=\"none\"} 1\n")
                .containsPattern("istio_tcp_received_bytes_total\\{reporter=\"destination\".*} 5\n"));
    }
}
