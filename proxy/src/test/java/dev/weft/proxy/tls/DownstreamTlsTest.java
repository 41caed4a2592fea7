package dev.weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.proxy.Commands;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.Template;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS termination on a listener: certificates from files or inline, ALPN h2, mutual TLS, SNI chains, versions. */
class DownstreamTlsTest {

    private static final String BOOTSTRAP = """
            admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }
            static_resources:
              listeners:
              - name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                listener_filters:
                - name: envoy.filters.listener.tls_inspector
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector }
                filter_chains:
            ${chains}
              clusters:
              - ${cluster}
            """;

    private final TestPki pki = TestPki.create("mesh-ca");
    private final TestPki.Issued server = pki.issue("web", "web.example", "localhost");
    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    @TempDir
    Path dir;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
    }

    private void start(String... chains) {
        StringBuilder yaml = new StringBuilder();
        for (String chain : chains) {
            yaml.append("    - ").append(chain).append('\n');
        }
        proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("chains", yaml.toString(),
                "cluster", TlsConfigs.cluster("up", up.port(), ""))));
    }

    private static String chain(String matchAndSocket) {
        return "{ " + matchAndSocket + ", filters: " + TlsConfigs.httpTo("up") + " }";
    }

    private String url(String path) {
        return "https://localhost:" + proxy.port() + path;
    }

    private Path caFile() {
        return write("ca.pem", pki.caPem());
    }

    private Path write(String name, String content) {
        try {
            return java.nio.file.Files.writeString(dir.resolve(name), content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void jdkClientGetsH2ByAlpnOrHttp11FromCertificateFiles() throws Exception {
        Path cert = server.writeTo(dir, "web");
        start(chain("transport_socket: " + TlsConfigs.downstream("tls_certificates: [ { certificate_chain: "
                + TlsConfigs.file(cert) + ", private_key: " + TlsConfigs.file(dir.resolve("web-key.pem"))
                + " } ], alpn_protocols: [ h2, http/1.1 ]", "")));

        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpClient client = HttpClient.newBuilder().version(version).sslContext(pki.clientContext(null)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url("/hello")))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(version);
            assertThat(r.headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("up");
            assertThat(r.body()).as("the upstream hears the request was https").contains("x-forwarded-proto: https");
        }
        assertThat(proxy.server().stats().value("listener.127.0.0.1_0.ssl.handshake")).isEqualTo(2);
    }

    @Test
    void curlOverHttpsWithHttp2AndInlineCertificates() {
        start(chain("transport_socket: " + TlsConfigs.downstream(TlsConfigs.certificate(server)
                + ", alpn_protocols: [ h2, http/1.1 ]", "")));

        Commands.Result h2 = Commands.curl("--cacert", caFile().toString(), "--http2", "-o", "/dev/null",
                "-w", "%{http_code} %{http_version}", url("/"));
        Commands.Result h1 = Commands.curl("--cacert", caFile().toString(), "--http1.1", "-o", "/dev/null",
                "-w", "%{http_code} %{http_version}", url("/"));
        Commands.Result untrusted = Commands.curl("-o", "/dev/null", url("/"));

        assertThat(h2.output()).isEqualTo("200 2");
        assertThat(h1.output()).isEqualTo("200 1.1");
        assertThat(untrusted.exit()).as("curl does not trust the test CA by default").isEqualTo(60);
    }

    @Test
    void routesMatchTheHttpsSchemeOfATlsConnection() {
        String routes = "[ { match: { prefix: /, headers: [ { name: \":scheme\", string_match: { exact: https } } ] }, "
                + "route: { cluster: up } }, { match: { prefix: / }, direct_response: { status: 421 } } ]";
        String hcm = "[ { name: envoy.filters.network.http_connection_manager, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager, "
                + "stat_prefix: tls, route_config: { virtual_hosts: [ { name: all, domains: [\"*\"], routes: " + routes
                + " } ] }, http_filters: [ { name: envoy.filters.http.router, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ] } } ]";
        start("{ transport_socket: " + TlsConfigs.downstream(TlsConfigs.certificate(server)
                + ", alpn_protocols: [ h2, http/1.1 ]", "") + ", filters: " + hcm + " }");

        for (String version : List.of("--http1.1", "--http2")) {
            Commands.Result r = Commands.curl("--cacert", caFile().toString(), version, "-o", "/dev/null",
                    "-w", "%{http_code}", url("/"));
            assertThat(r.output()).as(version).isEqualTo("200");
        }
    }

    @Test
    void withoutAlpnTheCodecSniffsAndServesHttp11() {
        start(chain("transport_socket: " + TlsConfigs.downstream(TlsConfigs.certificate(server), "")));

        Commands.Result r = Commands.curl("--cacert", caFile().toString(), "-o", "/dev/null",
                "-w", "%{http_code} %{http_version}", url("/"));

        assertThat(r.output()).isEqualTo("200 1.1");
    }

    @Test
    void mutualTlsRequiresAClientCertificateFromTheCaWithAMatchingSan() {
        TestPki.Issued good = pki.issue("client", "spiffe://cluster.local/ns/default/sa/sleep");
        TestPki.Issued wrongSan = pki.issue("client", "spiffe://cluster.local/ns/default/sa/other");
        TestPki.Issued wrongCa = TestPki.create("other-ca").issue("client", "spiffe://cluster.local/ns/default/sa/sleep");
        start(chain("transport_socket: " + TlsConfigs.downstream(TlsConfigs.certificate(server)
                + ", validation_context: { trusted_ca: " + TlsConfigs.inline(pki.caPem()) + ", match_typed_subject_alt_names: "
                + "[ { san_type: URI, matcher: { exact: \"spiffe://cluster.local/ns/default/sa/sleep\" } } ] }",
                "require_client_certificate: true")));

        assertThat(curlWithClientCertificate(good).output()).isEqualTo("200");
        assertThat(curlWithClientCertificate(wrongSan).exit()).as("SAN does not match").isNotZero();
        assertThat(curlWithClientCertificate(wrongCa).exit()).as("signed by another CA").isNotZero();
        assertThat(Commands.curl("--cacert", caFile().toString(), url("/")).exit()).as("no certificate").isNotZero();
        assertThat(up.requestCount()).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                proxy.server().stats().value("listener.127.0.0.1_0.ssl.connection_error")).isGreaterThanOrEqualTo(3));
    }

    private Commands.Result curlWithClientCertificate(TestPki.Issued client) {
        Path cert = client.writeTo(dir, "client-" + client.certificate().getSerialNumber());
        return Commands.curl("--cacert", caFile().toString(), "--cert", cert.toString(), "--key",
                dir.resolve("client-" + client.certificate().getSerialNumber() + "-key.pem").toString(),
                "-o", "/dev/null", "-w", "%{http_code}", url("/"));
    }

    @Test
    void sniChoosesTheChainAndItsCertificateAndAlpnIsNegotiated() {
        TestPki.Issued other = pki.issue("api", "api.example");
        start(chain("filter_chain_match: { server_names: [ api.example ] }, transport_socket: "
                        + TlsConfigs.downstream(TlsConfigs.certificate(other) + ", alpn_protocols: [ h2 ]", "")),
                chain("transport_socket: " + TlsConfigs.downstream(TlsConfigs.certificate(server)
                        + ", alpn_protocols: [ http/1.1 ]", "")));

        Commands.Result api = openssl("-servername", "api.example", "-alpn", "h2,http/1.1");
        Commands.Result fallback = openssl("-servername", "web.example", "-alpn", "h2,http/1.1");

        assertThat(api.output()).contains("subject=CN = api").contains("ALPN protocol: h2");
        assertThat(fallback.output()).contains("subject=CN = web").contains("ALPN protocol: http/1.1");
    }

    private Commands.Result openssl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + proxy.port(),
                "-CAfile", caFile().toString()));
        cmd.addAll(List.of(args));
        return Commands.run(cmd);
    }

    @Test
    void tlsParamsBoundTheProtocolVersion() {
        start(chain("transport_socket: " + TlsConfigs.downstream(TlsConfigs.certificate(server)
                + ", tls_params: { tls_minimum_protocol_version: TLSv1_3 }", "")));

        Commands.Result tls12 = openssl("-tls1_2");
        assertThat(tls12.exit()).isNotZero();
        assertThat(tls12.output()).contains("alert protocol version").contains("no peer certificate available");
        assertThat(openssl("-tls1_3").output()).contains("New, TLSv1.3").contains("Verify return code: 0 (ok)");
    }

    @Test
    void aJdkClientThatDoesNotTrustTheCaIsRefused() throws Exception {
        start(chain("transport_socket: " + TlsConfigs.downstream(TlsConfigs.certificate(server), "")));
        HttpClient client = HttpClient.newBuilder().sslContext(TestPki.create("elsewhere").clientContext(null)).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(url("/"))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThat(up.requestCount()).isZero();
    }
}
