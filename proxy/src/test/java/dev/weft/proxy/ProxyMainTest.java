package dev.weft.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.proxy.identity.WorkloadIdentity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxyMainTest {

    @Test
    void theCertificateValidityFollowsTheAgentsSecretTtl() {
        assertThat(WorkloadIdentity.ttl(null)).isEqualTo(Duration.ofHours(24));
        assertThat(WorkloadIdentity.ttl("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(WorkloadIdentity.ttl("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> WorkloadIdentity.ttl("soon")).hasMessage(
                "SECRET_TTL soon is not a duration such as 24h, 90m or 45s");
    }
}
