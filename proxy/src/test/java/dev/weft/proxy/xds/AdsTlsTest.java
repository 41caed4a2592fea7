package dev.weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.tls.TestPki;
import io.grpc.TlsServerCredentials;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weft-proxy's ADS channel over TLS, as Istio bootstraps it: the xDS cluster's UpstreamTlsContext names the mesh
 * root (a file) and istiod's name as SNI. The proxy streams from a server whose certificate chains to that root and
 * names istiod, and refuses one signed by another root or issued for another name.
 */
class AdsTlsTest {

    private static final String ISTIOD = "istiod.istio-system.svc";
    private static final String NODE = "sidecar~127.0.0.1~web-1.default~default.svc.cluster.local";

    @TempDir
    Path dir;
    private final TestPki mesh = TestPki.create("mesh root");
    private ServingKeys keys;
    private FakeAdsServer ads;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        ads.close();
    }

    /** Counts the TLS handshakes the server answers, so a refusal is seen to happen rather than waited for. */
    private static final class ServingKeys extends X509ExtendedKeyManager {
        private final TestPki.Issued identity;
        private final X509Certificate ca;
        private final AtomicInteger handshakes = new AtomicInteger();

        ServingKeys(TestPki pki, TestPki.Issued identity) {
            this.identity = identity;
            this.ca = pki.caCertificate();
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            handshakes.incrementAndGet();
            return "istiod";
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            handshakes.incrementAndGet();
            return "istiod";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"istiod"};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {identity.certificate(), ca};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return identity.key();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    private void serve(TestPki signer, String... names) {
        keys = new ServingKeys(signer, signer.issue("istiod", names));
        ads = new FakeAdsServer(TlsServerCredentials.newBuilder().keyManager(keys).build());
    }

    /** The FakeAdsServer bootstrap with Istio's TLS on the xDS cluster, trusting the mesh root's file. */
    private String bootstrap() throws Exception {
        Path root = Files.writeString(dir.resolve("root-cert.pem"), mesh.caPem());
        return ads.bootstrap(NODE, "").replace("    http2_protocol_options: {}\n", """
                    http2_protocol_options: {}
                    transport_socket:
                      name: envoy.transport_sockets.tls
                      typed_config:
                        "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                        sni: %s
                        common_tls_context: { validation_context: { trusted_ca: { filename: %s } } }
                """.formatted(ISTIOD, root));
    }

    @Test
    void theProxyStreamsFromAServerItsRootVouchesForUnderIstiodsName() throws Exception {
        serve(mesh, ISTIOD);
        proxy = ProxyHarness.startServer(bootstrap(), ProxyOptions.defaults().withWorkerThreads(1));
        assertThat(proxy.configErrors()).isEmpty();

        assertThat(ads.next(TypeUrls.CLUSTER).getNode().getId()).isEqualTo(NODE);
        assertThat(ads.streamCount()).isEqualTo(1);
    }

    @Test
    void aServerSignedByAnotherRootIsRefused() throws Exception {
        serve(TestPki.create("another root"), ISTIOD);
        proxy = ProxyHarness.startServer(bootstrap(), ProxyOptions.defaults().withWorkerThreads(1));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> keys.handshakes.get() >= 2);
        assertThat(ads.streamCount()).as("no stream over a refused handshake").isZero();
    }

    @Test
    void aServerOfTheMeshWithoutIstiodsNameIsRefused() throws Exception {
        serve(mesh, "reviews.default.svc");
        proxy = ProxyHarness.startServer(bootstrap(), ProxyOptions.defaults().withWorkerThreads(1));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> keys.handshakes.get() >= 2);
        assertThat(ads.streamCount()).as("the certificate does not name the SNI").isZero();
    }

    @Test
    void tlsThatCannotVerifyTheControlPlaneIsAConfigError() throws Exception {
        serve(mesh, ISTIOD);
        String unverified = bootstrap().replace("validation_context: { trusted_ca: { filename: "
                + dir.resolve("root-cert.pem") + " } }", "alpn_protocols: [h2]");
        proxy = ProxyHarness.startServer(unverified, ProxyOptions.defaults().withWorkerThreads(1));

        assertThat(proxy.configErrors()).singleElement().asString()
                .contains("needs validation_context.trusted_ca: the control plane must be verified");
    }
}
