package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.matcher.StringMatcher;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One entry of {@code match_typed_subject_alt_names} (a SAN type and a string matcher) or of the older
 * {@code match_subject_alt_names} (any SAN type). {@code sanType} is the X.509 GeneralName tag, or -1 for any.
 */
record SubjectAltNameMatcher(int sanType, StringMatcher matcher) {

    static final int ANY = -1;

    static SubjectAltNameMatcher typed(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher proto) {
        int type = switch (proto.getSanType()) {
            case EMAIL -> SubjectAltNames.EMAIL;
            case DNS -> SubjectAltNames.DNS;
            case URI -> SubjectAltNames.URI;
            case IP_ADDRESS -> SubjectAltNames.IP_ADDRESS;
            default -> throw new ConfigException("match_typed_subject_alt_names: san_type must be EMAIL, DNS, URI or IP_ADDRESS");
        };
        return new SubjectAltNameMatcher(type, StringMatcher.compile(proto.getMatcher()));
    }

    static SubjectAltNameMatcher anyType(io.envoyproxy.envoy.type.matcher.v3.StringMatcher proto) {
        return new SubjectAltNameMatcher(ANY, StringMatcher.compile(proto));
    }

    /** True when some SAN of the certificate has this type (or any) and its value matches. */
    boolean matches(X509Certificate certificate) {
        for (List<?> name : SubjectAltNames.of(certificate)) {
            int type = (Integer) name.get(0);
            if ((sanType == ANY || sanType == type) && name.get(1) instanceof String value && matcher.matches(value)) {
                return true;
            }
        }
        return false;
    }
}
