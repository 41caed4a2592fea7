package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Starts nginx and HAProxy sidecar pairs from the shipped templates with the run's certificates, in front of a real
 * upstream on loopback (skipped where the binary is not installed, failed under CI; weft-proxy's TLS configs are exercised by the
 * proxy's own tests and by every bench run, whose pair is ready only after a 200 through both hops).
 */
class ProxyLauncherTest {

    @TempDir
    Path work;

    /** CI installs nginx and HAProxy (.ci/run), so there a missing one fails the test; elsewhere it is skipped. */
    private static void requireInstalled(String binary) {
        boolean installed = Stream.concat(System.getenv("PATH").lines().flatMap(p -> Arrays.stream(p.split(":"))),
                Stream.of("/usr/sbin", "/usr/bin")).anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as(binary + " is installed by .ci/run").isTrue();
        }
        Assumptions.assumeTrue(installed, binary + " is not installed");
    }

    private ProxyLauncher launcher() {
        BenchSettings settings = new BenchSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 100, 1, "", "",
                "/1kb", 100, work);
        return new ProxyLauncher(settings, Path.of("../configs"), MeshCertificates.writeTo(work.resolve("certs")), null);
    }

    private static SystemSpec system(String name) {
        return Systems.comparison("java", "cp").stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static Endpoints upstream(OneKilobyteServer server) {
        return new Endpoints(server.address().getPort(), LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free());
    }

    private static int get(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /1kb HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return HttpResponseReader.readResponse(new BufferedInputStream(socket.getInputStream()));
    }

    /** A TLS client that trusts the run's CA but has no certificate of its own. */
    private SSLSocket tlsWithoutClientCertificate(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream ca = Files.newInputStream(work.resolve("certs/ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        return socket;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "haproxy"})
    void theMutualTlsPairProxiesThroughBothHopsAndTheInboundSidecarRefusesAClientWithoutACertificate(String name)
            throws Exception {
        requireInstalled(name);
        try (OneKilobyteServer server = new OneKilobyteServer(200, 0);
                SidecarPair pair = launcher().startPair(system(name), Topology.TWO_HOPS_MTLS, upstream(server), "test")) {
            try (Socket client = new Socket("127.0.0.1", pair.entry().http1())) {
                assertThat(get(client)).isEqualTo(200);
            }
            int before = server.requests();

            int refused;
            try (SSLSocket stranger = tlsWithoutClientCertificate(pair.inboundListen().http1())) {
                refused = get(stranger);
            } catch (IOException handshakeOrConnectionFailed) {
                refused = -1;
            }
            assertThat(refused).as("status without a client certificate (-1: the handshake failed)").isNotEqualTo(200);
            assertThat(server.requests()).as("nothing reached the upstream without a certificate").isEqualTo(before);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "haproxy"})
    void thePlainPairChainsTwoOneHopProxies(String name) throws Exception {
        requireInstalled(name);
        try (OneKilobyteServer server = new OneKilobyteServer(200, 0);
                SidecarPair pair = launcher().startPair(system(name), Topology.TWO_HOPS_PLAIN, upstream(server), "test");
                Socket client = new Socket("127.0.0.1", pair.entry().http1())) {
            assertThat(get(client)).isEqualTo(200);
            assertThat(get(client)).as("keep-alive through both hops").isEqualTo(200);
            assertThat(pair.trees()).hasSize(2).allSatisfy(tree -> assertThat(tree.sample().rssKb()).isPositive());
        }
    }
}
