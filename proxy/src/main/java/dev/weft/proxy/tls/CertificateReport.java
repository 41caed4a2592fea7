package dev.weft.proxy.tls;

import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.admin.v3.Certificate;
import io.envoyproxy.envoy.admin.v3.CertificateDetails;
import io.envoyproxy.envoy.admin.v3.SubjectAlternateName;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The admin's /certs entry of one TLS context, in Envoy's shape: its CA certificates and its leaf certificate. */
public final class CertificateReport {

    private CertificateReport() {
    }

    public static Certificate of(DownstreamTls tls, Instant now) {
        return of(tls.certificate(), tls.validation(), now);
    }

    public static Certificate of(UpstreamTls tls, Instant now) {
        return of(tls.certificate(), tls.validation(), now);
    }

    private static Certificate of(CertificateMaterial certificate, ValidationMaterial validation, Instant now) {
        Certificate.Builder b = Certificate.newBuilder();
        if (validation != null) {
            validation.trustedCa().forEach(ca -> b.addCaCert(details(ca, validation.caSource(), now)));
        }
        if (certificate != null) {
            b.addCertChain(details(certificate.chain().get(0), certificate.chainSource(), now));
        }
        return b.build();
    }

    private static CertificateDetails details(X509Certificate c, String path, Instant now) {
        Instant notBefore = c.getNotBefore().toInstant();
        Instant notAfter = c.getNotAfter().toInstant();
        CertificateDetails.Builder d = CertificateDetails.newBuilder()
                .setPath(path)
                .setSerialNumber(c.getSerialNumber().toString(16))
                .setDaysUntilExpiration(Math.max(0, Duration.between(now, notAfter).toDays()))
                .setValidFrom(timestamp(notBefore))
                .setExpirationTime(timestamp(notAfter));
        for (List<?> san : SubjectAltNames.of(c)) {
            String value = String.valueOf(san.get(1));
            switch ((Integer) san.get(0)) {
                case SubjectAltNames.DNS -> d.addSubjectAltNames(SubjectAlternateName.newBuilder().setDns(value));
                case SubjectAltNames.URI -> d.addSubjectAltNames(SubjectAlternateName.newBuilder().setUri(value));
                case SubjectAltNames.IP_ADDRESS -> d.addSubjectAltNames(SubjectAlternateName.newBuilder().setIpAddress(value));
                default -> {
                    // Envoy's admin shape has no field for other SAN types.
                }
            }
        }
        return d.build();
    }

    private static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
