package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshCertificatesTest {

    @TempDir
    Path dir;

    private static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static List<String> sans(X509Certificate cert) throws GeneralSecurityException {
        return cert.getSubjectAlternativeNames().stream().map(san -> (String) san.get(1)).toList();
    }

    @Test
    void eachSidecarGetsACertificateFromTheRunsCaWithItsSpiffeIdAndDnsName() throws Exception {
        MeshCertificates.writeTo(dir);
        X509Certificate ca = read(dir.resolve("ca.pem"));
        X509Certificate outbound = read(dir.resolve("outbound.pem"));
        X509Certificate inbound = read(dir.resolve("inbound.pem"));

        outbound.verify(ca.getPublicKey());
        inbound.verify(ca.getPublicKey());
        assertThat(sans(outbound)).containsExactly("spiffe://cluster.local/ns/default/sa/bench-client",
                "bench-client.default.svc");
        assertThat(sans(inbound)).containsExactly("spiffe://cluster.local/ns/default/sa/bench-server",
                "bench-server.default.svc");
    }

    @Test
    void haproxysBundleIsTheCertificateThenItsKey() throws Exception {
        MeshCertificates.writeTo(dir);

        for (String role : List.of("outbound", "inbound")) {
            String bundle = Files.readString(dir.resolve(role + "-bundle.pem"));
            assertThat(bundle).startsWith(Files.readString(dir.resolve(role + ".pem")))
                    .endsWith(Files.readString(dir.resolve(role + "-key.pem")))
                    .contains("-----BEGIN PRIVATE KEY-----");
        }
    }

    @Test
    void everyRunMakesANewCa() throws Exception {
        MeshCertificates.writeTo(dir.resolve("a"));
        MeshCertificates.writeTo(dir.resolve("b"));

        assertThat(read(dir.resolve("a/ca.pem")).getPublicKey()).isNotEqualTo(read(dir.resolve("b/ca.pem")).getPublicKey());
    }

    @Test
    void templatesGetTheDirectoryAndTheIdentitiesToCheck() {
        assertThat(MeshCertificates.writeTo(dir).templateValues())
                .containsEntry("certs", dir.toString())
                .containsEntry("server_spiffe_id", "spiffe://cluster.local/ns/default/sa/bench-server")
                .containsEntry("client_spiffe_id", "spiffe://cluster.local/ns/default/sa/bench-client")
                .containsEntry("server_dns_name", "bench-server.default.svc");
    }
}
