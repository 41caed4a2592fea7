package dev.weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeTlsUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS origination to a cluster: SNI, ALPN following the pool's protocol, CA and SAN checks, client certificates. */
class UpstreamTlsTest {

    private static final String H2 = "typed_extension_protocol_options: { envoy.extensions.upstreams.http.v3.HttpProtocolOptions: "
            + "{ \"@type\": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, "
            + "explicit_http_config: { http2_protocol_options: {} } } }";

    private final TestPki pki = TestPki.create("mesh-ca");
    private final TestPki.Issued serverCert = pki.issue("reviews", "spiffe://cluster.local/ns/default/sa/reviews");
    private final TestPki.Issued proxyCert = pki.issue("proxy", "spiffe://cluster.local/ns/default/sa/productpage");
    private final FakeTlsUpstream upstream = FakeTlsUpstream.start("reviews", serverCert.certificatePem(),
            serverCert.privateKeyPem(), pki.caPem());
    @TempDir
    Path dir;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String clusterExtra) {
        String hcm = Bootstraps.indent("""
                access_log:
                - name: envoy.access_loggers.file
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog, path: "%s" }
                """.formatted(dir.resolve("access.log")), 10);
        proxy = ProxyHarness.start(Bootstraps.http(hcm, Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: reviews }
                """), "", "  - " + TlsConfigs.cluster("reviews", upstream.port(), clusterExtra) + "\n"));
    }

    private String mutualTls(String sanMatch, TestPki trusted) {
        return "transport_socket: " + TlsConfigs.upstream(TlsConfigs.certificate(proxyCert)
                + ", validation_context: { trusted_ca: " + TlsConfigs.inline(trusted.caPem())
                + ", match_subject_alt_names: [ { exact: \"" + sanMatch + "\" } ] }", "sni: reviews.default.svc");
    }

    @Test
    void mutualTlsWithSniOverHttp11() {
        start(mutualTls("spiffe://cluster.local/ns/default/sa/reviews", pki));

        HttpResponse<String> r = proxy.get("/ratings");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-protocol")).contains("http/1.1");
        assertThat(r.headers().firstValue("x-tls-sni")).contains("reviews.default.svc");
        assertThat(r.headers().firstValue("x-client-cert")).contains("CN=proxy");
        assertThat(r.body()).startsWith("GET /ratings");
        assertThat(proxy.server().stats().value("cluster.reviews.ssl.handshake")).isEqualTo(1);
    }

    @Test
    void anHttp2ClusterOffersH2ByAlpn() {
        start(H2 + ", " + mutualTls("spiffe://cluster.local/ns/default/sa/reviews", pki));

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = proxy.get("/h2");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-protocol")).contains("h2");
        }
        assertThat(upstream.handshakeCount()).as("one multiplexed connection per event loop").isLessThanOrEqualTo(2);
    }

    @Test
    void anUntrustedServerCertificateIs503UpstreamFailure() throws Exception {
        start(mutualTls("spiffe://cluster.local/ns/default/sa/reviews", TestPki.create("some-other-ca")));

        HttpResponse<String> r = proxy.get("/");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("upstream connect error or disconnect/reset before headers. reset reason: "
                + "connection failure, transport failure reason: TLS error");
        assertThat(upstream.requestCount()).isZero();
        assertThat(proxy.server().stats().value("cluster.reviews.ssl.connection_error")).isPositive();
        assertThat(accessLogLine()).contains(" 503 UF ");
    }

    @Test
    void aServerWhoseSanDoesNotMatchIsRefused() throws Exception {
        start(mutualTls("spiffe://cluster.local/ns/default/sa/ratings", pki));

        assertThat(proxy.get("/").statusCode()).isEqualTo(503);
        assertThat(upstream.requestCount()).isZero();
        assertThat(accessLogLine()).contains(" 503 UF ");
    }

    @Test
    void withoutAClientCertificateMutualTlsFailsAtTheServer() {
        start("transport_socket: " + TlsConfigs.upstream("validation_context: { trusted_ca: "
                + TlsConfigs.inline(pki.caPem()) + " }", ""));

        assertThat(proxy.get("/").statusCode()).isEqualTo(503);
        assertThat(upstream.requestCount()).isZero();
    }

    private String accessLogLine() throws Exception {
        Path log = dir.resolve("access.log");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && !Files.readAllLines(log).isEmpty());
        List<String> lines = Files.readAllLines(log);
        return lines.get(0);
    }

    @Test
    void tcpProxyOriginatesTlsToo() throws Exception {
        proxy = ProxyHarness.start("""
                static_resources:
                  listeners:
                  - name: ingress
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains: [ { filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: tls, cluster: reviews } } ] } ]
                  clusters:
                  - %s
                """.formatted(TlsConfigs.cluster("reviews", upstream.port(),
                mutualTls("spiffe://cluster.local/ns/default/sa/reviews", pki))));

        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /raw HTTP/1.1\r\nHost: reviews\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder answer = new StringBuilder();
            byte[] chunk = new byte[1024];
            int n;
            while (answer.indexOf("GET /raw") < 0 && (n = s.getInputStream().read(chunk)) > 0) {
                answer.append(new String(chunk, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
            }

            assertThat(answer.toString()).startsWith("HTTP/1.1 200").contains("x-client-cert: CN=proxy").contains("GET /raw");
        }
    }
}
