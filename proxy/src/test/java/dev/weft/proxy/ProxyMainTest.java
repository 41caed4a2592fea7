package dev.weft.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxyMainTest {

    @Test
    void theCertificateValidityFollowsTheAgentsSecretTtl() {
        assertThat(ProxyMain.certificateTtl(null)).isEqualTo(Duration.ofHours(24));
        assertThat(ProxyMain.certificateTtl("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ProxyMain.certificateTtl("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> ProxyMain.certificateTtl("soon")).hasMessage(
                "SECRET_TTL soon is not a duration such as 24h, 90m or 45s");
    }
}
