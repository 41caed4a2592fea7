package dev.weft.proxy.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/** A certificate's subject alternative names, as the JDK lists them: each a pair of its type and its value. */
final class SubjectAltNames {

    /** The X.509 GeneralName tags the proxy reads. */
    static final int EMAIL = 1;
    static final int DNS = 2;
    static final int URI = 6;
    static final int IP_ADDRESS = 7;

    private SubjectAltNames() {
    }

    /** Every SAN; none when the certificate has none or its extension does not parse. */
    static Collection<List<?>> of(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** Every SAN of {@code type} with a text value, in the certificate's order. */
    static List<String> all(X509Certificate certificate, int type) {
        List<String> values = new java.util.ArrayList<>();
        for (List<?> name : of(certificate)) {
            if (name.get(0) instanceof Integer t && t == type && name.get(1) instanceof String value) {
                values.add(value);
            }
        }
        return values;
    }

    /** The first SAN of {@code type} with a text value, or null. */
    static String first(X509Certificate certificate, int type) {
        List<String> values = all(certificate, type);
        return values.isEmpty() ? null : values.getFirst();
    }
}
