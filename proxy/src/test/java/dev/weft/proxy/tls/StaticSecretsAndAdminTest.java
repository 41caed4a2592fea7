package dev.weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.proxy.Commands;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.Template;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeTlsUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on both sides from bootstrap secrets (as Istio names them: default and ROOTCA), the admin's /certs,
 * the secrets in /config_dump with private keys redacted, and bad certificates rejected with a message.
 */
class StaticSecretsAndAdminTest {

    private static final String BOOTSTRAP = """
            admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }
            static_resources:
              secrets:
              - { name: default, tls_certificate: { certificate_chain: ${chain}, private_key: ${key} } }
              - { name: ROOTCA, validation_context: { trusted_ca: ${ca} } }
              listeners:
              - name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains:
                - transport_socket: ${downstream}
                  filters: ${http}
              clusters:
              - ${cluster}
            """;
    private static final String SDS = "tls_certificate_sds_secret_configs: [ { name: default } ], combined_validation_context: "
            + "{ default_validation_context: { match_subject_alt_names: [ { prefix: \"spiffe://cluster.local/\" } ] }, "
            + "validation_context_sds_secret_config: { name: ROOTCA } }";

    private final TestPki pki = TestPki.create("mesh-ca");
    private final TestPki.Issued sidecar = pki.issue("sidecar", "spiffe://cluster.local/ns/default/sa/productpage",
            "localhost");
    private final TestPki.Issued reviewsCert = pki.issue("reviews", "spiffe://cluster.local/ns/default/sa/reviews");
    private final FakeTlsUpstream reviews = FakeTlsUpstream.start("reviews", reviewsCert.certificatePem(),
            reviewsCert.privateKeyPem(), pki.caPem());
    @TempDir
    Path dir;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        reviews.close();
    }

    private String bootstrap(String downstreamTls) {
        return Template.of(BOOTSTRAP).render(Map.of(
                "chain", TlsConfigs.inline(sidecar.certificatePem()),
                "key", TlsConfigs.inline(sidecar.privateKeyPem()),
                "ca", TlsConfigs.inline(pki.caPem()),
                "downstream", downstreamTls,
                "http", TlsConfigs.httpTo("reviews"),
                "cluster", TlsConfigs.cluster("reviews", reviews.port(), "transport_socket: " + TlsConfigs.upstream(SDS, ""))));
    }

    @Test
    void mutualTlsBothWaysFromBootstrapSecrets() throws Exception {
        proxy = ProxyHarness.start(bootstrap(TlsConfigs.downstream(SDS, "require_client_certificate: true")));
        TestPki.Issued client = pki.issue("ratings", "spiffe://cluster.local/ns/default/sa/ratings");
        Path cert = client.writeTo(dir, "client");
        Files.writeString(dir.resolve("ca.pem"), pki.caPem());

        Commands.Result r = Commands.curl("-i", "--cacert", dir.resolve("ca.pem").toString(), "--cert", cert.toString(),
                "--key", dir.resolve("client-key.pem").toString(), "https://localhost:" + proxy.port() + "/details");

        assertThat(r.output()).startsWith("HTTP/1.1 200").contains("x-client-cert: CN=sidecar").contains("GET /details");
    }

    @Test
    void certsListEveryContextAndConfigDumpRedactsPrivateKeys() throws Exception {
        proxy = ProxyHarness.start(bootstrap(TlsConfigs.downstream(SDS, "")));

        JsonNode certs = admin("/certs").path("certificates");
        assertThat(certs).hasSize(2);
        for (JsonNode c : certs) {
            assertThat(c.path("ca_cert").get(0).path("path").asText()).isEqualTo("<inline>");
            JsonNode leaf = c.path("cert_chain").get(0);
            assertThat(leaf.path("serial_number").asText()).isEqualTo(sidecar.certificate().getSerialNumber().toString(16));
            assertThat(leaf.path("subject_alt_names").get(0).path("uri").asText())
                    .isEqualTo("spiffe://cluster.local/ns/default/sa/productpage");
            assertThat(leaf.path("days_until_expiration").asText()).as("issued for 30 days").isEqualTo("29");
            assertThat(leaf.path("expiration_time").asText()).endsWith("Z");
        }

        String dump = adminText("/config_dump");
        assertThat(dump).doesNotContain("PRIVATE KEY").doesNotContain(sidecar.privateKeyPem().substring(40, 80))
                .contains("[redacted]");
        JsonNode secrets = null;
        for (JsonNode config : new ObjectMapper().readTree(dump).path("configs")) {
            if (config.path("@type").asText().endsWith("SecretsConfigDump")) {
                secrets = config;
            }
        }
        assertThat(secrets).isNotNull();
        assertThat(secrets.path("static_secrets").findValuesAsText("name")).contains("default", "ROOTCA");
        assertThat(secrets.toString()).contains("BEGIN CERTIFICATE").doesNotContain("BEGIN PRIVATE KEY");
    }

    private String adminText(String path) throws Exception {
        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + proxy.server().adminPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private JsonNode admin(String path) throws Exception {
        return new ObjectMapper().readTree(adminText(path));
    }

    @Test
    void badCertificatesRejectTheListenerWithAMessage() {
        TestPki.Issued stranger = pki.issue("stranger");
        assertThat(rejection("tls_certificates: [ { certificate_chain: " + TlsConfigs.inline(sidecar.certificatePem())
                + ", private_key: " + TlsConfigs.inline(stranger.privateKeyPem()) + " } ]"))
                .contains("listener ingress: ").contains("tls_certificates[0]: the private key does not match the certificate");
        assertThat(rejection("tls_certificates: [ { certificate_chain: { inline_string: \"junk\" }, private_key: "
                + TlsConfigs.inline(sidecar.privateKeyPem()) + " } ]"))
                .contains("tls_certificates[0].certificate_chain: not a PEM certificate");
        assertThat(rejection("tls_certificates: [ { certificate_chain: { filename: /nonexistent/cert.pem }, private_key: "
                + TlsConfigs.inline(sidecar.privateKeyPem()) + " } ]"))
                .contains("tls_certificates[0].certificate_chain: cannot read /nonexistent/cert.pem");
        assertThat(rejection(TlsConfigs.certificate(sidecar) + ", tls_params: { cipher_suites: [ NOT-A-CIPHER ] }"))
                .contains("unknown cipher suite 'NOT-A-CIPHER'");
    }

    @Test
    void aSec1EcKeyAsOpensslWritesItIsAccepted() {
        String sec1 = "tls_certificates: [ { certificate_chain: " + TlsConfigs.inline(sidecar.certificatePem())
                + ", private_key: " + TlsConfigs.inline(sidecar.privateKeySec1Pem()) + " } ]";
        assertThat(rejection(sec1)).isEmpty();
    }

    /** The listener's config error, or "" when it was accepted. */
    private String rejection(String commonTlsContext) {
        var result = new BootstrapLoader().parse(bootstrap(TlsConfigs.downstream(commonTlsContext, "")));
        try (ProxyServer server = ProxyServer.start(((BootstrapResult.Valid) result).bootstrap(), ProxyOptions.defaults())) {
            assertThat(server.listenerPort("ingress") > 0).isEqualTo(server.configErrors().isEmpty());
            return server.configErrors().stream().map(ConfigError::toString).findFirst().orElse("");
        }
    }
}
