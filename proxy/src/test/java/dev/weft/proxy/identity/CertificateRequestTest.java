package dev.weft.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Commands;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's own DER certificate request reads the same in Bouncy Castle (as weftd's CA reads it) and in openssl. */
class CertificateRequestTest {

    private static final String SLEEP = "spiffe://cluster.local/ns/default/sa/sleep";

    @TempDir
    Path dir;

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void bouncyCastleReadsAnEmptySubjectTheSpiffeIdAsTheCriticalUriSanAndAValidSignature() throws Exception {
        KeyPair key = p256();
        PKCS10CertificationRequest csr;
        try (PEMParser parser = new PEMParser(new StringReader(CertificateRequest.pem(key, SLEEP)))) {
            csr = (PKCS10CertificationRequest) parser.readObject();
        }

        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo())))
                .isTrue();
        assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(csr.getSubject().getRDNs()).isEmpty();
        assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.4.3.2");
        var attributes = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        assertThat(attributes).hasSize(1);
        Extension san = Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0))
                .getExtension(Extension.subjectAlternativeName);
        assertThat(san.isCritical()).isTrue();
        GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
        assertThat(names).hasSize(1);
        assertThat(names[0].getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
        assertThat(names[0].getName().toString()).isEqualTo(SLEEP);
    }

    @Test
    void opensslVerifiesTheSignatureAndSeesTheSpiffeIdAndNoSubject() throws Exception {
        Path csr = Files.writeString(dir.resolve("csr.pem"), CertificateRequest.pem(p256(), SLEEP));

        Commands.Result text = Commands.run(List.of("openssl", "req", "-verify", "-noout", "-text", "-in",
                csr.toString()));
        assertThat(text.exit()).as(text.output()).isZero();
        assertThat(text.output()).contains("verify OK").containsPattern("Subject: *\n")
                .contains("X509v3 Subject Alternative Name: critical").contains("URI:" + SLEEP)
                .contains("ASN1 OID: prime256v1").contains("Signature Algorithm: ecdsa-with-SHA256");
        Commands.Result subject = Commands.run(List.of("openssl", "req", "-noout", "-subject", "-in", csr.toString()));
        assertThat(subject.output().strip()).isEqualTo("subject=");
    }
}
