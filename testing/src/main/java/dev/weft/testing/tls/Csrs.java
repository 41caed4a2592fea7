package dev.weft.testing.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Certificate requests as a workload makes them: its own EC key, the identity as a URI SAN, PEM. */
public final class Csrs {

    private Csrs() {
    }

    public static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR signed by {@code signer} for {@code publicKeyOf}'s key, asking for the given SANs. */
    public static String csr(KeyPair publicKeyOf, KeyPair signer, GeneralName... sans) {
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), publicKeyOf.getPublic());
            if (sans.length > 0) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(sans));
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            PKCS10CertificationRequest csr = b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(signer.getPrivate()));
            StringWriter w = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(csr);
            }
            return w.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String csrFor(KeyPair key, String uri) {
        return csr(key, key, new GeneralName(GeneralName.uniformResourceIdentifier, uri));
    }
}
