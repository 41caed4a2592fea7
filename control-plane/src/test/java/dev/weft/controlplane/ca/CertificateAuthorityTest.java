package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.tls.Csrs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's keys on disk and what it signs, checked with the JDK's parser and the real openssl. */
class CertificateAuthorityTest {

    private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/sleep");

    @TempDir
    Path dir;

    private CertificateAuthority ca() throws Exception {
        return CertificateAuthority.loadOrCreate(Optional.empty(), dir, "cluster.local", Clock.systemUTC());
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void theSelfSignedRootIsMadeOnceKeptPrivateAndTheSameAfterARestart() throws Exception {
        String first = ca().rootPem();
        Path key = dir.resolve("ca/root-key.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(ca().rootPem()).isEqualTo(first);
        X509Certificate root = parse(first);
        assertThat(root.getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);
        assertThat(root.getSubjectX500Principal().getName()).contains("O=cluster.local");
    }

    @Test
    void aRequestForTheCallersOwnIdentityGetsAChainThatOpensslVerifiesToTheRoot() throws Exception {
        CertificateAuthority ca = ca();
        List<String> chain = ca.sign(Csrs.csrFor(Csrs.keyPair(), SLEEP.uri()), SLEEP, Duration.ZERO);

        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(ca.rootPem());
        Path leaf = Files.writeString(dir.resolve("leaf.pem"), chain.get(0));
        Path root = Files.writeString(dir.resolve("root.pem"), ca.rootPem());
        assertThat(openssl("verify", "-CAfile", root.toString(), leaf.toString())).contains(": OK");
        assertThat(openssl("x509", "-noout", "-ext", "subjectAltName", "-in", leaf.toString()))
                .contains("critical").contains("URI:spiffe://cluster.local/ns/default/sa/sleep");
        X509Certificate cert = parse(chain.get(0));
        Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertThat(validity).as("24 h, starting a minute early").isEqualTo(Duration.ofHours(24).plusMinutes(1));
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    }

    @Test
    void theRequestedValidityIsHonouredUpToNinetyDays() throws Exception {
        CertificateAuthority ca = ca();
        X509Certificate hour = parse(ca.sign(Csrs.csrFor(Csrs.keyPair(), SLEEP.uri()), SLEEP,
                Duration.ofHours(1)).get(0));
        X509Certificate year = parse(ca.sign(Csrs.csrFor(Csrs.keyPair(), SLEEP.uri()), SLEEP,
                Duration.ofDays(365)).get(0));
        assertThat(Duration.between(hour.getNotBefore().toInstant(), hour.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofMinutes(61));
        assertThat(Duration.between(year.getNotBefore().toInstant(), year.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(90).plusMinutes(1));
    }

    @Test
    void aRequestForSomeoneElseOrForMoreNamesIsRefusedWithTheReason() throws Exception {
        CertificateAuthority ca = ca();
        KeyPair key = Csrs.keyPair();
        assertThatThrownBy(() -> ca.sign(Csrs.csrFor(key, "spiffe://cluster.local/ns/default/sa/admin"), SLEEP,
                Duration.ZERO)).isInstanceOf(CertificateRefused.class)
                .hasMessage("the CSR asks for URI:spiffe://cluster.local/ns/default/sa/admin, but the caller is "
                        + SLEEP.uri());
        assertThatThrownBy(() -> ca.sign(Csrs.csr(key, key,
                new GeneralName(GeneralName.uniformResourceIdentifier, SLEEP.uri()),
                new GeneralName(GeneralName.dNSName, "bank.example")), SLEEP, Duration.ZERO))
                .isInstanceOf(CertificateRefused.class).hasMessageContaining("DNS:bank.example");
        assertThatThrownBy(() -> ca.sign(Csrs.csr(key, key), SLEEP, Duration.ZERO))
                .isInstanceOf(CertificateRefused.class).hasMessageContaining("asks for no name");
    }

    @Test
    void aRequestNotSignedByItsOwnKeyOrNotACsrIsRefused() throws Exception {
        CertificateAuthority ca = ca();
        String forged = Csrs.csr(Csrs.keyPair(), Csrs.keyPair(),
                new GeneralName(GeneralName.uniformResourceIdentifier, SLEEP.uri()));
        assertThatThrownBy(() -> ca.sign(forged, SLEEP, Duration.ZERO)).isInstanceOf(CertificateRefused.class)
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> ca.sign("not a csr", SLEEP, Duration.ZERO)).isInstanceOf(CertificateRefused.class);
        assertThatThrownBy(() -> ca.sign(ca.rootPem(), SLEEP, Duration.ZERO)).isInstanceOf(CertificateRefused.class)
                .hasMessageContaining("not a PEM certificate request");
    }

    @Test
    void aPluggedInCaInIstiosCacertsLayoutSignsInsteadOfTheSelfSignedRoot() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        CertificateAuthority.loadOrCreate(Optional.empty(), other, "cluster.local", Clock.systemUTC());
        Path cacerts = Files.createDirectory(dir.resolve("cacerts"));
        Files.copy(other.resolve("ca/root-cert.pem"), cacerts.resolve("ca-cert.pem"));
        Files.copy(other.resolve("ca/root-key.pem"), cacerts.resolve("ca-key.pem"));
        Files.copy(other.resolve("ca/root-cert.pem"), cacerts.resolve("root-cert.pem"));
        Files.copy(other.resolve("ca/root-cert.pem"), cacerts.resolve("cert-chain.pem"));

        CertificateAuthority plugged = CertificateAuthority.loadOrCreate(Optional.of(cacerts), dir, "cluster.local",
                Clock.systemUTC());
        assertThat(plugged.rootPem()).isEqualTo(Files.readString(cacerts.resolve("root-cert.pem")));
        assertThat(Files.exists(dir.resolve("ca"))).as("no self-signed root is made").isFalse();
        List<String> chain = plugged.sign(Csrs.csrFor(Csrs.keyPair(), SLEEP.uri()), SLEEP, Duration.ZERO);
        assertThat(chain).as("leaf, then the chain once up to the root").hasSize(2);
        Path leaf = Files.writeString(dir.resolve("leaf.pem"), chain.get(0));
        assertThat(openssl("verify", "-CAfile", cacerts.resolve("root-cert.pem").toString(), leaf.toString()))
                .contains(": OK");
    }
}
