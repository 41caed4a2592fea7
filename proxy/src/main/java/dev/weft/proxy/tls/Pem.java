package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM certificates and private keys, parsed once at config time into JDK key objects. */
final class Pem {

    private Pem() {
    }

    /** One certificate in PEM, with Envoy's 64-character lines. */
    static String certificate(X509Certificate certificate) throws java.security.cert.CertificateEncodingException {
        String base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded());
        return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    }

    static List<X509Certificate> certificates(byte[] pem, String field) {
        try {
            var parsed = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            if (parsed.isEmpty()) {
                throw new ConfigException(field + ": no PEM certificate found");
            }
            return parsed.stream().map(c -> (X509Certificate) c).toList();
        } catch (CertificateException e) {
            throw new ConfigException(field + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    /** A PKCS#8, PKCS#1 (RSA) or SEC1 (EC) private key; encrypted keys are not supported. */
    static PrivateKey privateKey(byte[] pem, String field) {
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new ConfigException(field + ": no unencrypted PEM private key found");
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(field + ": not a PEM private key (" + e.getMessage() + ")");
        }
    }

    /** Envoy refuses a key that does not belong to the certificate; so do we, by signing with one, verifying with the other. */
    static void requireMatchingKey(PrivateKey key, X509Certificate leaf, String field) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ConfigException(field + ": unsupported private key type " + key.getAlgorithm());
        };
        byte[] probe = "weft key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new ConfigException(field + ": the private key does not match the certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(field + ": the private key does not match the certificate (" + e.getMessage() + ")");
        }
    }
}
