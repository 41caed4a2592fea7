package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.ads.XdsType;
import dev.weft.controlplane.ca.CertificateAuthority;
import dev.weft.controlplane.ca.MeshRootChannels;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With its CA running, weftd serves xDS and the CA over TLS on one port (istiod's 15012), with a certificate from
 * its own root: a client trusting that root gets config and certificates, one trusting another root or speaking
 * plain text gets nothing, and plain text is served only when asked for (istiod's 15010).
 */
class WeftdTlsTest {

    private static final Node NODE = Node.newBuilder()
            .setId("sidecar~127.0.0.1~productpage-v1-abc.default~default.svc.cluster.local").build();

    @TempDir
    Path data;
    @TempDir
    Path elsewhere;
    private Weftd weftd;

    private void start(WeftdOptions options) throws Exception {
        weftd = Weftd.start(options.withDataDir(data).withPorts(0, 0));
    }

    @AfterEach
    void stop() throws Exception {
        weftd.close();
    }

    private String syncz() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + weftd.httpPort() + "/debug/syncz")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aClientTrustingTheMeshRootGetsConfigAndTheCaAnswersOnTheSamePort() throws Exception {
        start(WeftdOptions.defaults());
        try (RecordingProxy proxy = new RecordingProxy(MeshRootChannels.to(weftd.xdsPort(),
                data.resolve("ca/root-cert.pem")), NODE)) {
            proxy.subscribe(XdsType.CLUSTER);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.responsesOf(XdsType.CLUSTER) > 0);
            assertThat(syncz()).contains("productpage-v1-abc.default");
        }
        ManagedChannel ca = MeshRootChannels.to(weftd.xdsPort(), data.resolve("ca/root-cert.pem"));
        try {
            assertThatThrownBy(() -> MeshRootChannels.createCertificate(ca, "nobody's", "csr"))
                    .as("the CA answers, and refuses an unknown token")
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        } finally {
            ca.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientTrustingAnotherRootIsRefused() throws Exception {
        start(WeftdOptions.defaults());
        CertificateAuthority.loadOrCreate(Optional.empty(), elsewhere, "cluster.local",
                Clock.systemUTC());
        try (RecordingProxy proxy = new RecordingProxy(MeshRootChannels.to(weftd.xdsPort(),
                elsewhere.resolve("ca/root-cert.pem")), NODE)) {
            proxy.subscribe(XdsType.CLUSTER);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.error().isPresent());
            assertThat(Status.fromThrowable(proxy.error().get()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(proxy.responsesOf(XdsType.CLUSTER)).isZero();
        }
        assertThat(syncz()).doesNotContain("productpage");
    }

    @Test
    void plainTextIsRefusedUnlessWeftdIsToldToServeIt() throws Exception {
        start(WeftdOptions.defaults());
        try (RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), NODE)) {
            proxy.subscribe(XdsType.CLUSTER);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.error().isPresent());
            assertThat(Status.fromThrowable(proxy.error().get()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
        weftd.close();
        start(WeftdOptions.defaults().withPlaintextXds());
        try (RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), NODE)) {
            proxy.subscribe(XdsType.CLUSTER);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.responsesOf(XdsType.CLUSTER) > 0);
        }
    }
}
