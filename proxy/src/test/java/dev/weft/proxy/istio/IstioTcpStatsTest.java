package dev.weft.proxy.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.tls.TlsConfigs;
import dev.weft.testing.tls.TestPki;
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
 * connection opened and closed and the bytes each way, as the proxy that reports sees them. Over Istio's mutual TLS
 * with the metadata exchange (ALPN {@code istio-peer-exchange}) each side also names the other's workload.
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

    private static final String METADATA_EXCHANGE = "{ name: istio.metadata_exchange, typed_config: { \"@type\": "
            + "type.googleapis.com/xds.type.v3.TypedStruct, type_url: "
            + "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange, value: "
            + "{ protocol: istio-peer-exchange, enable_discovery: true } } }";

    private static String node(String workload, String version) {
        return """
                node:
                  id: sidecar~127.0.0.1~%1$s.default~default.svc.cluster.local
                  metadata: { WORKLOAD_NAME: %1$s, NAMESPACE: default, CLUSTER_ID: Kubernetes, LABELS: { app: %2$s, version: %3$s } }
                admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }
                """.formatted(workload + "-" + version, workload, version);
    }

    private static String stats(String reporter) {
        return "{ name: istio.stats, typed_config: { \"@type\": type.googleapis.com/xds.type.v3.TypedStruct, type_url: "
                + "type.googleapis.com/stats.PluginConfig, value: { reporter: " + reporter + " } } }";
    }

    private static String tcpProxy(String cluster) {
        return "{ name: envoy.filters.network.tcp_proxy, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: tcp, "
                + "cluster: \"" + cluster + "\" } }";
    }

    private static String endpoint(String cluster, int port) {
        return "{ cluster_name: \"" + cluster + "\", endpoints: [ { lb_endpoints: [ { endpoint: { address: "
                + "{ socket_address: { address: 127.0.0.1, port_value: " + port + " } } } } ] } ] }";
    }

    @Test
    void overMutualTlsTheMetadataExchangeNamesEachSidesPeer() throws Exception {
        TestPki pki = TestPki.create("mesh-ca");
        TestPki.Issued serverCert = pki.issue("tcp-echo", "spiffe://cluster.local/ns/default/sa/tcp-echo");
        TestPki.Issued clientCert = pki.issue("sleep", "spiffe://cluster.local/ns/default/sa/sleep");
        String ca = "validation_context: { trusted_ca: " + TlsConfigs.inline(pki.caPem()) + " }";
        server = ProxyHarness.start(node("tcp-echo", "v1") + """
                static_resources:
                  listeners:
                  - name: ingress
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains:
                    - transport_socket: %s
                      filters: [ %s, %s, %s ]
                  clusters:
                  - { name: "inbound|9000||", load_assignment: %s }
                """.formatted(TlsConfigs.downstream(TlsConfigs.certificate(serverCert) + ", " + ca
                        + ", alpn_protocols: [ istio-peer-exchange, h2, http/1.1 ]", "require_client_certificate: true"),
                METADATA_EXCHANGE, stats("destination"), tcpProxy("inbound|9000||"),
                endpoint("inbound|9000||", echo.port())));
        client = ProxyHarness.start(node("sleep", "v2") + """
                static_resources:
                  listeners:
                  - name: ingress
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains: [ { filters: [ %s, %s ] } ]
                  clusters:
                  - name: "%s"
                    transport_socket: %s
                    filters: [ %s ]
                    load_assignment: %s
                """.formatted(stats("source"), tcpProxy(OUTBOUND), OUTBOUND,
                TlsConfigs.upstream(TlsConfigs.certificate(clientCert) + ", " + ca
                        + ", alpn_protocols: [ istio-peer-exchange, istio ]", ""),
                METADATA_EXCHANGE, endpoint(OUTBOUND, server.port())));

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), client.port())) {
            socket.getOutputStream().write("world".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .as("the echo saw exactly the client's bytes, and the client gets exactly the echo's")
                    .isEqualTo("hello world");
        }

        String server = "destination_workload=\"tcp-echo-v1\",destination_workload_namespace=\"default\","
                + "destination_principal=\"unknown\",destination_app=\"tcp-echo\",destination_version=\"v1\"";
        String client = "source_workload=\"sleep-v2\"";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(prometheus(this.client))
                .containsPattern("istio_tcp_connections_opened_total\\{reporter=\"source\"," + client + ".*"
                        + server + ".*} 1\n")
                .containsPattern("istio_tcp_connections_closed_total\\{reporter=\"source\"," + client + ".*"
                        + server + ".*} 1\n")
                .containsPattern("istio_tcp_sent_bytes_total\\{reporter=\"source\".*" + server + ".*} 11\n")
                .containsPattern("istio_tcp_received_bytes_total\\{reporter=\"source\".*" + server + ".*} 5\n")
                .doesNotContain("destination_workload=\"unknown\""));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(prometheus(this.server))
                .containsPattern("istio_tcp_connections_opened_total\\{reporter=\"destination\"," + client
                        + ".*source_workload_namespace=\"default\",source_principal=\"spiffe://cluster.local/ns/default/sa/sleep\",source_app=\"sleep\","
                        + "source_version=\"v2\".*destination_workload=\"tcp-echo-v1\".*"
                        + "connection_security_policy=\"mutual_tls\"} 1\n")
                .containsPattern("istio_tcp_connections_closed_total\\{reporter=\"destination\"," + client + ".*} 1\n")
                .containsPattern("istio_tcp_sent_bytes_total\\{reporter=\"destination\"," + client + ".*} 11\n")
                .containsPattern("istio_tcp_received_bytes_total\\{reporter=\"destination\"," + client + ".*} 5\n")
                .doesNotContain("source_workload=\"unknown\""));
    }

    /** Istio's tcp_reporting_duration: an open connection's bytes show before it ends, and are not counted twice. */
    @Test
    void anOpenConnectionReportsItsBytesEveryReportingInterval() throws Exception {
        client = ProxyHarness.start(bootstrap("sleep", "source", ", tcp_reporting_duration: 0.1s", OUTBOUND,
                echo.port()));
        String sourceSeries = "reporter=\"source\",source_workload=\"sleep\"";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), client.port())) {
            socket.getOutputStream().write("world".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(11), StandardCharsets.UTF_8)).isEqualTo("hello world");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(prometheus(client))
                    .containsPattern("istio_tcp_sent_bytes_total\\{" + sourceSeries + ".*} 11\n")
                    .containsPattern("istio_tcp_received_bytes_total\\{" + sourceSeries + ".*} 5\n")
                    .as("still open").containsPattern("istio_tcp_connections_closed_total\\{" + sourceSeries + ".*} 0\n"));
            socket.getOutputStream().write("!".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("!");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(prometheus(client))
                .containsPattern("istio_tcp_connections_closed_total\\{" + sourceSeries + ".*} 1\n")
                .containsPattern("istio_tcp_sent_bytes_total\\{" + sourceSeries + ".*} 12\n")
                .containsPattern("istio_tcp_received_bytes_total\\{" + sourceSeries + ".*} 6\n"));
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
                .doesNotContain("response_code=\""));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(prometheus(server))
                .containsPattern("istio_tcp_connections_closed_total\\{reporter=\"destination\",source_workload="
                        + "\"unknown\".*destination_workload=\"tcp-echo-v1\".*destination_service_name=\"tcp-echo\".*"
                        + "connection_security_policy=\"none\"} 1\n")
                .containsPattern("istio_tcp_received_bytes_total\\{reporter=\"destination\".*} 5\n"));
    }
}
