package dev.weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.Template;
import dev.weft.testing.upstream.ResettingServer;
import dev.weft.testing.upstream.TcpEchoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's listener hand-off without iptables: SO_ORIGINAL_DST is absent, so the original destination of a
 * connection to the use_original_dst listener is its own address, 127.0.0.1:P, and the listener configured at
 * that address (or 0.0.0.0:P) with bind_to_port false serves it.
 */
class ListenerHandOffTest {

    private static final String TCP_CHAIN = """
              - filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: ${cluster} } } ]
            """;

    private final TcpEchoServer passthrough = TcpEchoServer.start("P:");
    private final TcpEchoServer wildcard = TcpEchoServer.start("W:");
    private final TcpEchoServer exact = TcpEchoServer.start("X:");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        passthrough.close();
        wildcard.close();
        exact.close();
    }

    @Test
    void aConnectionGoesToTheWildcardListenerOnItsOriginalPort() throws IOException {
        int port = ResettingServer.closedPort(); // hand-off matches the accepting listener's own port
        proxy = start(port, unbound("0.0.0.0", port, "bind_to_port: false", "wildcard"));
        assertThat(exchange(port)).isEqualTo("W:x");
        assertThat(exchange(port)).isEqualTo("W:x");
        assertThat(proxy.server().stats().value("listener.0.0.0.0_" + port + ".downstream_cx_total"))
                .as("handed-off connections count on the target listener").isEqualTo(2);
        assertThat(proxy.server().stats().value("listener.127.0.0.1_" + port + ".downstream_cx_total")).isZero();
        assertThat(passthrough.connectionCount()).isZero();
    }

    @Test
    void anExactAddressWinsOverTheWildcard() throws IOException {
        int port = ResettingServer.closedPort(); // hand-off matches the accepting listener's own port
        proxy = start(port, unbound("0.0.0.0", port, "bind_to_port: false", "wildcard")
                + unbound("127.0.0.1", port, "deprecated_v1: { bind_to_port: false }", "exact"));
        assertThat(exchange(port)).isEqualTo("X:x");
        assertThat(wildcard.connectionCount()).isZero();
    }

    @Test
    void withoutAListenerAtTheDestinationTheAcceptingListenerServes() throws IOException {
        int port = ResettingServer.closedPort(); // hand-off matches the accepting listener's own port
        proxy = start(port, unbound("0.0.0.0", port == 65535 ? 1 : port + 1, "bind_to_port: false", "wildcard"));
        assertThat(exchange(port)).isEqualTo("P:x");
        assertThat(proxy.server().stats().value("listener.127.0.0.1_" + port + ".downstream_cx_total")).isEqualTo(1);
    }

    @Test
    void theOriginalDstListenerFilterAloneDoesNotHandOff() throws IOException {
        int port = ResettingServer.closedPort();
        proxy = start(port, unbound("0.0.0.0", port, "bind_to_port: false", "wildcard"),
                "listener_filters: [ { name: envoy.filters.listener.original_dst, typed_config: { \"@type\": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst } } ]");
        assertThat(exchange(port)).isEqualTo("P:x");
    }

    @Test
    void theTargetsListenerFiltersAndChainMatchApply() throws Exception {
        int port = ResettingServer.closedPort(); // hand-off matches the accepting listener's own port
        proxy = start(port, """
                - name: 0.0.0.0_${port}
                  address: { socket_address: { address: 0.0.0.0, port_value: ${port} } }
                  bind_to_port: false
                  listener_filters: [ { name: envoy.filters.listener.http_inspector, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector } } ]
                  filter_chains:
                  - filter_chain_match: { destination_port: ${port}, application_protocols: [ http/1.1 ] }
                    filters:
                    - name: hcm
                      typed_config:
                        "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                        stat_prefix: inbound
                        route_config: { virtual_hosts: [ { name: all, domains: ["*"], routes: [ { match: { prefix: / }, direct_response: { status: 200, body: { inline_string: handed } } } ] } ] }
                        http_filters: [ { name: router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                  - filter_chain_match: { destination_port: ${port} }
                    filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: wildcard } } ]
                """);
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("handed");
        assertThat(exchange(port)).as("not HTTP: the target's raw chain").isEqualTo("W:x");
    }

    @Test
    void aListenerThatDoesNotBindNeedsNoLocalAddressAndIsListedByTheAdmin() throws Exception {
        int port = ResettingServer.closedPort(); // hand-off matches the accepting listener's own port
        proxy = start(port, unbound("10.251.1.5", 9000, "bind_to_port: false", "wildcard"));
        assertThat(proxy.server().listenerPort("10.251.1.5_9000")).isEqualTo(9000);
        String admin = "http://127.0.0.1:" + proxy.server().adminPort();
        HttpResponse<String> listeners = proxy.send(HttpRequest.newBuilder(URI.create(admin + "/listeners")).build());
        assertThat(listeners.body()).contains("10.251.1.5_9000::10.251.1.5:9000\n", "virtualOutbound::127.0.0.1:" + port + "\n");
        JsonNode dump = new ObjectMapper().readTree(proxy.send(HttpRequest.newBuilder(URI.create(admin + "/config_dump"))
                .build()).body());
        assertThat(dump.findValuesAsText("name")).contains("10.251.1.5_9000", "virtualOutbound");
    }

    private ProxyHarness start(int port, String moreListeners) {
        return start(port, moreListeners, "use_original_dst: true");
    }

    private ProxyHarness start(int port, String moreListeners, String originalDestination) {
        Map<String, Object> values = Map.of("port", port, "originalDestination", originalDestination,
                "passthrough", passthrough.port(), "wildcard", wildcard.port(), "exact", exact.port());
        return ProxyHarness.start(Template.of("""
                admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }
                static_resources:
                  listeners:
                  - name: virtualOutbound
                    address: { socket_address: { address: 127.0.0.1, port_value: ${port} } }
                    ${originalDestination}
                    filter_chains:
                """ + chain("passthrough").indent(2) + moreListeners.indent(2) + """
                  clusters:
                  - name: passthrough
                    load_assignment: { cluster_name: passthrough, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${passthrough} } } } } ] } ] }
                  - name: wildcard
                    load_assignment: { cluster_name: wildcard, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${wildcard} } } } } ] } ] }
                  - name: exact
                    load_assignment: { cluster_name: exact, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${exact} } } } } ] } ] }
                """).render(values));
    }

    /** A listener named like Istio's ("address_port") that opens no socket, proxying to {@code cluster}. */
    private static String unbound(String address, int port, String noBind, String cluster) {
        return Template.of("""
                - name: ${address}_${port}
                  address: { socket_address: { address: ${address}, port_value: ${port} } }
                  ${noBind}
                  filter_chains:
                """).render(Map.of("address", address, "port", port, "noBind", noBind)) + chain(cluster);
    }

    private static String chain(String cluster) {
        return TCP_CHAIN.replace("${cluster}", cluster);
    }


    private static String exchange(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
            return new String(s.getInputStream().readNBytes(3), StandardCharsets.UTF_8);
        }
    }
}
