package dev.weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.proxy.Protos;
import dev.weft.proxy.config.ConfigException;
import org.junit.jupiter.api.Test;

class TlsParametersTest {

    private static TlsParameters of(String yaml) {
        return TlsParameters.of(Protos.fromYaml(yaml,
                io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.newBuilder()));
    }

    @Test
    void defaultsAreTls12To13WithTheJdkSuites() {
        TlsParameters p = of("{}");
        assertThat(p.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(p.cipherSuites()).isNull();
    }

    @Test
    void opensslNamesAndPreferenceGroupsBecomeIanaNamesAndTls13SuitesStay() {
        TlsParameters p = of("""
                tls_maximum_protocol_version: TLSv1_3
                cipher_suites: [ "[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]", TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 ]
                """);
        assertThat(p.cipherSuites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void aMinimumAboveTheMaximumIsAnError() {
        assertThatThrownBy(() -> of("{ tls_minimum_protocol_version: TLSv1_3, tls_maximum_protocol_version: TLSv1_2 }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TLSv1_3 is above tls_maximum_protocol_version TLSv1_2");
    }
}
