package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd's serving certificate on a real gRPC TLS port, as openssl sees it: it chains to the CA's root, names istiod
 * as Istio does and the addresses weftd is dialed by, and is renewed at half its life for new connections.
 */
class ServingCertificateTest {

    private static final String BRIDGE = "10.250.7.1";

    @TempDir
    Path dir;
    private Instant now = Instant.now();
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private ServingCertificate serving;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(Optional.empty(), dir, "cluster.local",
                Clock.systemUTC());
        List<String> names = new ArrayList<>(ServingCertificate.ISTIOD_NAMES);
        names.add(BRIDGE);
        serving = new ServingCertificate(ca, names, clock);
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        TlsServerCredentials.newBuilder().keyManager(serving).build())
                .addService(new CertificateService(ca, WorkloadTokens.of(Map.of()), Duration.ofHours(1)).definition())
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** The handshake as a proxy makes it (SNI and name check istiod.istio-system.svc), then the served leaf. */
    private String handshake() throws Exception {
        String out = run("openssl", "s_client", "-connect", "127.0.0.1:" + server.getPort(), "-servername",
                MeshRootChannels.ISTIOD, "-verify_hostname", MeshRootChannels.ISTIOD, "-alpn", "h2", "-CAfile",
                dir.resolve("ca/root-cert.pem").toString(), "-verify_return_error");
        Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", Pattern.DOTALL)
                .matcher(out);
        assertThat(m.find()).as("openssl got a certificate: %s", out).isTrue();
        Path leaf = Files.writeString(dir.resolve("served.pem"), m.group());
        return out + "\n" + run("openssl", "x509", "-noout", "-serial", "-ext", "subjectAltName,extendedKeyUsage",
                "-in", leaf.toString());
    }

    private String servedSerial() throws Exception {
        Matcher m = Pattern.compile("serial=([0-9A-F]+)").matcher(handshake());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void itChainsToTheRootAndNamesIstiodAndTheAddressesWeftdIsDialedBy() throws Exception {
        assertThat(handshake()).contains("Verify return code: 0 (ok)")
                .contains("DNS:istiod.istio-system.svc, DNS:istiod.istio-system.svc.cluster.local, DNS:istiod,"
                        + " DNS:localhost, IP Address:127.0.0.1, IP Address:" + BRIDGE)
                .contains("TLS Web Server Authentication").doesNotContain("TLS Web Client Authentication");
    }

    @Test
    void itIsRenewedAtHalfItsLifeForNewConnections() throws Exception {
        String first = servedSerial();
        now = now.plus(ServingCertificate.TTL.dividedBy(2).minusMinutes(5));
        assertThat(serving.renewIfDue()).isFalse();
        assertThat(servedSerial()).isEqualTo(first);

        now = now.plus(Duration.ofMinutes(10));
        assertThat(serving.renewIfDue()).isTrue();
        String second = servedSerial();
        assertThat(second).isNotEqualTo(first);
        assertThat(serving.leaf().getSerialNumber().toString(16).toUpperCase()).isEqualTo(second);
        assertThat(serving.renewIfDue()).as("the new certificate's half life starts again").isFalse();
    }
}
