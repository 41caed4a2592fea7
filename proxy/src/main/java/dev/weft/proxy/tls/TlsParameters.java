package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tls_params}: the protocol versions between the minimum and maximum, and cipher suites. Envoy names
 * suites the OpenSSL way (ECDHE-RSA-AES128-GCM-SHA256, with [a|b] preference groups); the JDK wants IANA names.
 * TLS 1.3 suites are not configurable in Envoy, so they stay enabled whatever the list says.
 */
record TlsParameters(List<String> protocols, List<String> cipherSuites) {

    private static final List<String> VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    private static final Map<String, String> OPENSSL_TO_IANA = Map.ofEntries(
            Map.entry("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
            Map.entry("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            Map.entry("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"));

    TlsParameters {
        protocols = List.copyOf(protocols);
        cipherSuites = cipherSuites == null ? null : List.copyOf(cipherSuites);
    }

    /** Defaults: TLS 1.2 to 1.3, the JDK's cipher suites ({@code cipherSuites} null). */
    static TlsParameters of(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters proto) {
        int min = version(proto.getTlsMinimumProtocolVersion(), 2);
        int max = version(proto.getTlsMaximumProtocolVersion(), 3);
        if (min > max) {
            throw new ConfigException("tls_params: tls_minimum_protocol_version " + proto.getTlsMinimumProtocolVersion()
                    + " is above tls_maximum_protocol_version " + proto.getTlsMaximumProtocolVersion());
        }
        List<String> suites = null;
        if (proto.getCipherSuitesCount() > 0) {
            Set<String> names = new LinkedHashSet<>();
            for (String entry : proto.getCipherSuitesList()) {
                for (String name : entry.replace("[", "").replace("]", "").split("\\|")) {
                    names.add(iana(name.trim()));
                }
            }
            if (max == 3) {
                names.addAll(TLS13_SUITES);
            }
            suites = new ArrayList<>(names);
        }
        return new TlsParameters(VERSIONS.subList(min, max + 1), suites);
    }

    private static int version(TlsProtocol p, int auto) {
        return switch (p) {
            case TLS_AUTO, UNRECOGNIZED -> auto;
            case TLSv1_0 -> 0;
            case TLSv1_1 -> 1;
            case TLSv1_2 -> 2;
            case TLSv1_3 -> 3;
        };
    }

    private static String iana(String name) {
        if (name.startsWith("TLS_")) {
            return name;
        }
        String iana = OPENSSL_TO_IANA.get(name);
        if (iana == null) {
            throw new ConfigException("tls_params: unknown cipher suite '" + name + "'");
        }
        return iana;
    }
}
