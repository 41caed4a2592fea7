package dev.weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.Template;
import dev.weft.testing.upstream.TcpEchoServer;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TLS passthrough: the chain is chosen by the SNI of the ClientHello, which is forwarded untouched. */
class TlsInspectorTest {

    private static final String BOOTSTRAP = """
            static_resources:
              listeners:
              - name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                listener_filters:
                - name: envoy.filters.listener.tls_inspector
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector }
                filter_chains:
                - filter_chain_match: { server_names: [ "a.example" ] }
                  filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: a, cluster: a } } ]
                - filter_chain_match: { server_names: [ "*.b.example" ], application_protocols: [ "h2" ] }
                  filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: b, cluster: b } } ]
              clusters:
              - name: a
                load_assignment: { cluster_name: a, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${a} } } } } ] } ] }
              - name: b
                load_assignment: { cluster_name: b, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${b} } } } } ] } ] }
            """;

    private final TcpEchoServer a = TcpEchoServer.start("");
    private final TcpEchoServer b = TcpEchoServer.start("");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        a.close();
        b.close();
    }

    /** Starts a TLS handshake with the given SNI and ALPN; it fails (the echo is no TLS server), which is fine. */
    private void hello(String sni, String... alpn) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, sni, plain.getPort(), true)) {
            tls.setSoTimeout(2000);
            SSLParameters params = tls.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(sni)));
            params.setApplicationProtocols(alpn);
            tls.setSSLParameters(params);
            tls.startHandshake();
        } catch (java.io.IOException expected) {
            // The echo server answers the ClientHello with itself: not a valid handshake.
        }
    }

    @Test
    void choosesTheChainBySniAndAlpn() throws Exception {
        proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("a", a.port(), "b", b.port())));
        hello("a.example");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.connectionCount() == 1);
        hello("api.b.example", "h2", "http/1.1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> b.connectionCount() == 1);
        hello("api.b.example", "http/1.1");
        hello("unknown.example");
        assertThat(a.connectionCount()).isEqualTo(1);
        assertThat(b.connectionCount()).as("no chain matches: closed, not forwarded").isEqualTo(1);
    }

    @Test
    void parsesServerNameAndAlpnFromARealClientHello() throws Exception {
        try (var server = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread client = Thread.ofVirtual().start(() -> {
                try {
                    SSLContext context = SSLContext.getInstance("TLS");
                    context.init(null, null, null);
                    try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(
                            InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                        tls.setSoTimeout(2000);
                        SSLParameters params = tls.getSSLParameters();
                        params.setServerNames(List.of(new SNIHostName("Service.Example.COM")));
                        params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                        tls.setSSLParameters(params);
                        tls.startHandshake();
                    }
                } catch (Exception ignored) {
                    // The server side never answers.
                }
            });
            try (Socket accepted = server.accept()) {
                byte[] header = accepted.getInputStream().readNBytes(5);
                int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                byte[] body = accepted.getInputStream().readNBytes(length);
                io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(header, body);
                assertThat(ClientHello.recordLength(buf)).isEqualTo(5 + length);
                ClientHello hello = ClientHello.parse(buf);
                assertThat(hello.serverName()).isEqualTo("service.example.com");
                assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
            }
            client.join();
        }
    }
}
