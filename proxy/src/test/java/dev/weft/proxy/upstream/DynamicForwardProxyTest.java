package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.Commands;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.RawHttp2Connection;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeTlsUpstream;
import dev.weft.testing.upstream.TcpEchoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envoy's dynamic forward proxy as an explicit HTTP proxy: absolute-form requests reach the host they name,
 * resolved at request time, and CONNECT (upgrade_configs CONNECT, a connect_matcher route with connect_config)
 * becomes a TCP tunnel. Names are {@code localhost}, which resolves to loopback.
 */
class DynamicForwardProxyTest {

    private static final String DNS_CACHE = "{ name: dfp, dns_lookup_family: V4_PREFERRED }";

    private final FakeHttpUpstream web = FakeHttpUpstream.start("web");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        web.close();
    }

    @Test
    void anAbsoluteFormRequestReachesTheHostItNamesByName() {
        proxy = ProxyHarness.start(forwardProxy(true));
        var result = Commands.curl("-i", "-x", "http://127.0.0.1:" + proxy.port(),
                "http://localhost:" + web.port() + "/headers");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("HTTP/1.1 200").containsIgnoringCase("x-upstream: web");
        assertThat(web.requestCount()).isEqualTo(1);
    }

    @Test
    void httpsGoesThroughAConnectTunnel(@TempDir Path dir) throws IOException {
        TestPki pki = TestPki.create("dfp-test");
        var leaf = pki.issue("localhost", "localhost");
        Path ca = Files.writeString(dir.resolve("ca.pem"), pki.caPem());
        try (FakeTlsUpstream secure = FakeTlsUpstream.start("secure", leaf.certificatePem(), leaf.privateKeyPem(), null)) {
            proxy = ProxyHarness.start(forwardProxy(true));
            var result = Commands.curl("-i", "--http1.1", "-x", "http://127.0.0.1:" + proxy.port(), "--cacert",
                    ca.toString(), "https://localhost:" + secure.port() + "/");
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains("HTTP/1.1 200 OK").containsIgnoringCase("x-upstream: secure")
                    .containsIgnoringCase("x-tls-sni: localhost");
            assertThat(secure.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aConnectTunnelCarriesBytesBothWays() throws IOException {
        try (TcpEchoServer echo = TcpEchoServer.start("E:");
                Socket s = new Socket(InetAddress.getLoopbackAddress(), startedProxy(true))) {
            s.setSoTimeout(5000);
            connect(s, echo.port());
            String head = headOf(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").doesNotContainIgnoringCase("transfer-encoding")
                    .doesNotContainIgnoringCase("content-length");
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("E:ping");
            s.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("pong");
        }
    }

    @Test
    void connectIsRefusedWithoutTheConnectionManagersUpgrade() throws IOException {
        try (TcpEchoServer echo = TcpEchoServer.start("E:");
                Socket s = new Socket(InetAddress.getLoopbackAddress(), startedProxy(false))) {
            s.setSoTimeout(5000);
            connect(s, echo.port());
            assertThat(headOf(s.getInputStream())).startsWith("HTTP/1.1 403 Forbidden");
            assertThat(echo.connectionCount()).isZero();
        }
    }

    /** HTTP/2's CONNECT (RFC 9113 8.5: a stream is the tunnel) is not terminated: 403, the stream ends. */
    @Test
    void connectOverHttp2IsRefused() throws IOException {
        try (TcpEchoServer echo = TcpEchoServer.start("E:");
                RawHttp2Connection h2 = new RawHttp2Connection(startedProxy(true))) {
            int stream = h2.headers(java.util.List.of(java.util.List.of(":method", "CONNECT"),
                    java.util.List.of(":authority", "localhost:" + echo.port())), false);
            RawHttp2Connection.Frame answer = h2.outcomeOf(stream);
            assertThat(answer.type()).isEqualTo(RawHttp2Connection.HEADERS);
            assertThat(answer.headers().status().toString()).isEqualTo("403");
            assertThat(echo.connectionCount()).isZero();
        }
    }

    @Test
    void anAuthorityThatDoesNotResolveIsA503WithFlagDf() {
        proxy = ProxyHarness.start(forwardProxy(true));
        var result = Commands.curl("-i", "-H", "Host: bad:host:name", "http://127.0.0.1:" + proxy.port() + "/");
        assertThat(result.output()).startsWith("HTTP/1.1 503").endsWith("DNS resolution failure");
        assertThat(web.requestCount()).isZero();
    }

    private int startedProxy(boolean connect) {
        proxy = ProxyHarness.start(forwardProxy(connect));
        return proxy.port();
    }

    private static void connect(Socket s, int port) throws IOException {
        s.getOutputStream().write(("CONNECT localhost:" + port + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** The response head up to the blank line, read byte by byte so nothing of the tunnel is consumed. */
    private static String headOf(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Envoy's documented dynamic forward proxy: the filter and the cluster on one DNS cache, CONNECT optional. */
    private static String forwardProxy(boolean connect) {
        String upgrade = connect ? "          upgrade_configs: [ { upgrade_type: CONNECT } ]\n" : "";
        return Bootstraps.http(upgrade,
                Bootstraps.anyHost("""
                        - match: { connect_matcher: {} }
                          route: { cluster: dfp, upgrade_configs: [ { upgrade_type: CONNECT, connect_config: {} } ] }
                        - match: { prefix: / }
                          route: { cluster: dfp }
                        """),
                "          - name: envoy.filters.http.dynamic_forward_proxy\n"
                        + "            typed_config: { \"@type\": type.googleapis.com/envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig, dns_cache_config: "
                        + DNS_CACHE + " }\n",
                "  - name: dfp\n    lb_policy: CLUSTER_PROVIDED\n    connect_timeout: 2s\n"
                        + "    cluster_type: { name: envoy.clusters.dynamic_forward_proxy, typed_config: { \"@type\": "
                        + "type.googleapis.com/envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig, "
                        + "dns_cache_config: " + DNS_CACHE + " } }\n");
    }
}
