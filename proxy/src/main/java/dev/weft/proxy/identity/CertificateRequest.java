package dev.weft.proxy.identity;

import dev.weft.proxy.tls.Der;
import dev.weft.proxy.tls.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * The PKCS#10 certificate request (RFC 2986) a workload sends Istio's CA, as the Istio agent makes it: no subject, the
 * SPIFFE ID as the one URI subject alt name of a critical extension in an extensionRequest attribute, signed
 * SHA256withECDSA by the workload's own EC key.
 */
final class CertificateRequest {

    private static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    /** GeneralName's uniformResourceIdentifier: {@code [6] IMPLICIT IA5String}. */
    private static final int URI_NAME = 6;

    private CertificateRequest() {
    }

    /** The request for {@code spiffeId} and {@code key}'s public key, in PEM. */
    static String pem(KeyPair key, String spiffeId) throws GeneralSecurityException {
        byte[] subjectAltName = Der.sequence(Der.oid(SUBJECT_ALT_NAME), Der.bool(true),
                Der.octetString(Der.sequence(Der.contextPrimitive(URI_NAME, spiffeId))));
        byte[] extensionRequest = Der.sequence(Der.oid(EXTENSION_REQUEST), Der.set(Der.sequence(subjectAltName)));
        byte[] info = Der.sequence(Der.integer(0), Der.sequence(), key.getPublic().getEncoded(),
                Der.contextConstructed(0, extensionRequest));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key.getPrivate());
        signer.update(info);
        byte[] request = Der.sequence(info, Der.sequence(Der.oid(ECDSA_WITH_SHA256)), Der.bitString(signer.sign()));
        return Pem.encode("CERTIFICATE REQUEST", request);
    }
}
