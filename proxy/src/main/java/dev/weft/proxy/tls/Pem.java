package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM certificates and private keys, parsed once at config time into JDK key objects. */
public final class Pem {

    /** A PEM block: its label and its body (base64, and headers if the block has any). */
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
            Pattern.DOTALL);
    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String EC = "1.2.840.10045.2.1";
    /** The key algorithms {@link #requireMatchingKey} can check, by the OID a PKCS#8 key names. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(RSA, "RSA", EC, "EC", "1.3.101.112", "Ed25519");

    private Pem() {
    }

    /** DER bytes as a PEM block with {@code label}, in Envoy's 64-character lines. */
    public static String encode(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    /** One certificate in PEM. */
    static String certificate(X509Certificate certificate) throws CertificateEncodingException {
        return encode("CERTIFICATE", certificate.getEncoded());
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

    /**
     * The first private key in {@code pem}: PKCS#8, PKCS#1 (RSA) or SEC1 (EC, named curves), as Envoy reads them;
     * other blocks (the EC PARAMETERS {@code openssl ecparam} writes first) are skipped. Encrypted keys are refused.
     */
    static PrivateKey privateKey(byte[] pem, String field) {
        Matcher block = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (block.find()) {
            String label = block.group(1);
            // Only encrypted keys carry headers (Proc-Type, DEK-Info); base64 has no colon.
            if (label.equals("ENCRYPTED PRIVATE KEY") || block.group(2).contains(":")) {
                throw new ConfigException(field + ": encrypted private keys are not supported");
            }
            if (label.equals("PRIVATE KEY") || label.equals("RSA PRIVATE KEY") || label.equals("EC PRIVATE KEY")) {
                try {
                    byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                    return switch (label) {
                        case "RSA PRIVATE KEY" -> pkcs8(wrap(Der.sequence(Der.oid(RSA), Der.nullValue()), der));
                        case "EC PRIVATE KEY" -> pkcs8(wrap(Der.sequence(Der.oid(EC), sec1Curve(der, field)), der));
                        default -> pkcs8(der);
                    };
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    throw new ConfigException(field + ": not a valid " + label + " (" + e.getMessage() + ")");
                }
            }
        }
        throw new ConfigException(field + ": no PEM private key found");
    }

    /** A PKCS#8 PrivateKeyInfo, read by the JDK's key factory for the algorithm it names. */
    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        List<Der.Element> info = Der.parse(der).require(Der.SEQUENCE).children();
        if (info.size() < 3) {
            throw new IllegalArgumentException("a PrivateKeyInfo has a version, an algorithm and a key");
        }
        String oid = info.get(1).require(Der.SEQUENCE).children().getFirst().oid();
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported key algorithm " + oid);
        }
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** A PKCS#8 PrivateKeyInfo (version 0) around a key in its algorithm's own encoding. */
    private static byte[] wrap(byte[] algorithmIdentifier, byte[] key) {
        return Der.sequence(Der.integer(0), algorithmIdentifier, Der.octetString(key));
    }

    /** The named curve a SEC1 ECPrivateKey gives in its {@code [0]} parameters, which PKCS#8 needs. */
    private static byte[] sec1Curve(byte[] sec1, String field) {
        for (Der.Element e : Der.parse(sec1).require(Der.SEQUENCE).children()) {
            if (e.isContext(0)) {
                List<Der.Element> parameters = e.children();
                if (parameters.size() != 1 || parameters.getFirst().tag() != Der.OBJECT_IDENTIFIER) {
                    throw new ConfigException(field + ": EC private key with explicit curve parameters; only named "
                            + "curves are supported");
                }
                return parameters.getFirst().encoded();
            }
        }
        throw new ConfigException(field + ": EC PRIVATE KEY names no curve (no [0] parameters); write it as PKCS#8 "
                + "(openssl pkcs8 -topk8 -nocrypt)");
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
