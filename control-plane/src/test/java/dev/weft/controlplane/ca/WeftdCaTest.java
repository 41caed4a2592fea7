package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.testing.tls.Csrs;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weftd serves Istio's CreateCertificate on its xDS port (over TLS), for the tokens in its data directory. */
class WeftdCaTest {

    private static final String SLEEP = "spiffe://example.org/ns/default/sa/sleep";

    @TempDir
    Path data;

    /** Over TLS, trusting the root weftd made in its data directory, as a proxy does. */
    private List<String> createCertificate(int port, String token, String csr) throws Exception {
        ManagedChannel channel = MeshRootChannels.to(port, data.resolve("ca/root-cert.pem"));
        try {
            return MeshRootChannels.createCertificate(channel, token, csr);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void weftdSignsForTheTokensOfItsDataDirectoryWithTheSameRootAfterARestart() throws Exception {
        WeftdOptions options = WeftdOptions.defaults().withDataDir(data).withPorts(0, 0)
                .withCa(CaSettings.DEFAULT.withTrustDomain("example.org").withWorkloadCertTtl(Duration.ofHours(1)));
        String root;
        try (Weftd weftd = Weftd.start(options)) {
            assertThatThrownBy(() -> createCertificate(weftd.xdsPort(), "t1",
                    Csrs.csrFor(Csrs.keyPair(), SLEEP))).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

            Files.writeString(data.resolve(Weftd.WORKLOAD_TOKENS_FILE), "t1 " + SLEEP + "\n");
            List<String> chain = createCertificate(weftd.xdsPort(), "t1", Csrs.csrFor(Csrs.keyPair(), SLEEP));
            root = Files.readString(data.resolve("ca/root-cert.pem"));
            assertThat(chain).hasSize(2).last().isEqualTo(root);
        }
        try (Weftd restarted = Weftd.start(options)) {
            List<String> chain = createCertificate(restarted.xdsPort(), "t1", Csrs.csrFor(Csrs.keyPair(), SLEEP));
            assertThat(chain.getLast()).as("the same root after a restart").isEqualTo(root);
        }
    }
}
