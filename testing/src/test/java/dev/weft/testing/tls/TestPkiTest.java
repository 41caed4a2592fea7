package dev.weft.testing.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.upstream.FakeTlsUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestPkiTest {

    private final TestPki pki = TestPki.create("test-ca");

    @Test
    void issuesLeafCertificatesWithSubjectAltNamesSignedByTheCa() throws Exception {
        TestPki.Issued leaf = pki.issue("web", "web.example", "spiffe://cluster.local/ns/default/sa/web");

        leaf.certificate().verify(pki.caCertificate().getPublicKey());
        assertThat(leaf.certificate().getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "web.example"), List.of(6, "spiffe://cluster.local/ns/default/sa/web"));
        assertThat(leaf.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(leaf.privateKeySec1Pem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    }

    @Test
    void anExistingCaFromItsPemFilesIssuesLeavesForAChosenValidity() throws Exception {
        // A name of two RDNs, as weftd's root has (O=<trust domain>,CN=...): its order must survive.
        TestPki.Issued signer = pki.issue("signer,O=cluster.local");
        TestPki loaded = TestPki.of(signer.certificatePem(), signer.privateKeySec1Pem());
        assertThat(loaded.caCertificate()).isEqualTo(signer.certificate());

        Instant notAfter = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        TestPki.Issued expired = loaded.issue(notAfter.minus(Duration.ofHours(1)), notAfter, "late");
        expired.certificate().verify(signer.certificate().getPublicKey());
        assertThat(expired.certificate().getIssuerX500Principal())
                .isEqualTo(signer.certificate().getSubjectX500Principal());
        assertThat(expired.certificate().getNotAfter().toInstant()).isEqualTo(notAfter);
        assertThatThrownBy(() -> expired.certificate().checkValidity())
                .isInstanceOf(java.security.cert.CertificateExpiredException.class);
    }

    @Test
    void theTlsUpstreamSpeaksH2OrHttp11ByAlpnAndReportsTheClientCertificate() throws Exception {
        TestPki.Issued server = pki.issue("upstream", "localhost");
        TestPki.Issued client = pki.issue("client");
        try (FakeTlsUpstream upstream = FakeTlsUpstream.start("tls", server.certificatePem(), server.privateKeyPem(), pki.caPem())) {
            for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
                HttpClient http = HttpClient.newBuilder().version(version).sslContext(pki.clientContext(client)).build();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + upstream.port() + "/x"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("x-protocol")).contains(version == HttpClient.Version.HTTP_2 ? "h2" : "http/1.1");
                assertThat(r.headers().firstValue("x-client-cert")).contains("CN=client");
                assertThat(r.headers().firstValue("x-tls-sni")).contains("localhost");
            }
            HttpClient anonymous = HttpClient.newBuilder().sslContext(pki.clientContext(null)).build();
            assertThatThrownBy(() -> anonymous.send(HttpRequest.newBuilder(URI.create("https://localhost:" + upstream.port() + "/x"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("mutual TLS: no client certificate, no answer").isInstanceOf(java.io.IOException.class);
        }
    }
}
