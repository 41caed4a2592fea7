package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.controlplane.metrics.StrictPrometheusText;
import dev.weft.testing.tls.Csrs;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weftd's CA counts CreateCertificate calls under Citadel's names on {@code /metrics}. */
class WeftdCaMetricsTest {

    private static final String SLEEP = "spiffe://cluster.local/ns/default/sa/sleep";
    private static final String OTHER = "spiffe://cluster.local/ns/default/sa/other";

    @TempDir
    Path data;

    @Test
    void csrsAuthenticationFailuresRefusalsAndIssuedCertificatesAreCountedAndTheRootsExpiryShown()
            throws Exception {
        Files.writeString(data.resolve(Weftd.WORKLOAD_TOKENS_FILE), "t1 " + SLEEP + "\n");
        try (Weftd weftd = Weftd.start(WeftdOptions.defaults().withDataDir(data).withPorts(0, 0))) {
            ManagedChannel channel = MeshRootChannels.to(weftd.xdsPort(), data.resolve(Weftd.ROOT_CERT_FILE));
            try {
                assertThatThrownBy(() -> MeshRootChannels.createCertificate(channel, "unknown",
                        Csrs.csrFor(Csrs.keyPair(), SLEEP))).isInstanceOf(StatusRuntimeException.class);
                assertThatThrownBy(() -> MeshRootChannels.createCertificate(channel, "t1",
                        Csrs.csrFor(Csrs.keyPair(), OTHER))).isInstanceOf(StatusRuntimeException.class);
                MeshRootChannels.createCertificate(channel, "t1", Csrs.csrFor(Csrs.keyPair(), SLEEP));
                MeshRootChannels.createCertificate(channel, "t1", Csrs.csrFor(Csrs.keyPair(), SLEEP));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            Map<String, Double> scraped = StrictPrometheusText.scrape(weftd.httpPort());
            assertThat(scraped.get("citadel_server_csr_count")).isEqualTo(4.0);
            assertThat(scraped.get("citadel_server_authentication_failure_count")).isEqualTo(1.0);
            assertThat(scraped.get("citadel_server_csr_sign_err_count{error=\"CSR_ERROR\"}")).isEqualTo(1.0);
            assertThat(scraped.get("citadel_server_csr_sign_err_count{error=\"CERT_GEN_ERROR\"}")).isZero();
            assertThat(scraped.get("citadel_server_success_cert_issuance_count")).isEqualTo(2.0);

            X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Files.readString(data.resolve(Weftd.ROOT_CERT_FILE))
                            .getBytes(StandardCharsets.UTF_8)));
            assertThat(scraped.get("citadel_server_root_cert_expiry_timestamp"))
                    .isEqualTo((double) root.getNotAfter().toInstant().getEpochSecond());
        }
    }
}
