package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * How a peer certificate is checked: the CAs it must chain to (none: not verified) and the SANs of which one
 * must match (none: any). {@code caSource} is the CA file, "<inline>", or empty.
 */
record ValidationMaterial(List<X509Certificate> trustedCa, String caSource, List<SubjectAltNameMatcher> subjectAltNames) {

    static final ValidationMaterial NONE = new ValidationMaterial(List.of(), "", List.of());

    ValidationMaterial {
        trustedCa = List.copyOf(trustedCa);
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    @SuppressWarnings("deprecation") // match_subject_alt_names is deprecated but still what many control planes send
    static ValidationMaterial of(CertificateValidationContext proto, String field) {
        List<X509Certificate> cas = proto.hasTrustedCa()
                ? Pem.certificates(DataSources.read(proto.getTrustedCa(), field + ".trusted_ca"), field + ".trusted_ca")
                : List.of();
        List<SubjectAltNameMatcher> sans = new ArrayList<>();
        proto.getMatchTypedSubjectAltNamesList().forEach(m -> sans.add(SubjectAltNameMatcher.typed(m)));
        proto.getMatchSubjectAltNamesList().forEach(m -> sans.add(SubjectAltNameMatcher.anyType(m)));
        return new ValidationMaterial(cas, proto.hasTrustedCa() ? DataSources.describe(proto.getTrustedCa()) : "", sans);
    }

    /** Istio's combined_validation_context: the CA from the SDS secret, the SAN matchers from the default context. */
    ValidationMaterial with(ValidationMaterial defaults) {
        List<SubjectAltNameMatcher> sans = new ArrayList<>(subjectAltNames);
        sans.addAll(defaults.subjectAltNames());
        return trustedCa.isEmpty()
                ? new ValidationMaterial(defaults.trustedCa(), defaults.caSource(), sans)
                : new ValidationMaterial(trustedCa, caSource, sans);
    }

    void requireCaForSanMatching(String field) {
        if (trustedCa.isEmpty() && !subjectAltNames.isEmpty()) {
            throw new ConfigException(field + ": matching subject alt names needs a trusted_ca");
        }
    }
}
