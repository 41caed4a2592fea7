package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.identity.WorkloadIdentity;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.upstream.FakeHttpUpstream;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A weft-proxy gets its workload certificate from weftd's CA and serves with it: its listener, which names Istio's
 * SDS secret {@code default}, warms until the certificate arrives; openssl sees the SPIFFE ID and verifies the chain
 * to the CA's root; and the certificate is renewed at half its life, so new connections get a new one.
 */
class WorkloadCertificateTest {

    private static final String SLEEP = "spiffe://cluster.local/ns/default/sa/sleep";

    @TempDir
    Path dir;
    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private Server caServer;
    private CertificateAuthority ca;
    private ProxyServer proxy;

    @BeforeEach
    void startCa() throws Exception {
        ca = CertificateAuthority.loadOrCreate(Optional.empty(), dir, "cluster.local", Clock.systemUTC());
        caServer = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new CertificateService(ca, WorkloadTokens.of(Map.of("sleep-token",
                        SpiffeId.parse(SLEEP))), Duration.ofHours(24)).definition())
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        caServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        up.close();
    }

    private void startProxy(String token, Duration ttl) throws Exception {
        startProxy(token, ttl, caServer.getPort(), "");
    }

    /**
     * {@code xdsCluster}: a static cluster "xds" (YAML list item) to take ADS from, whose transport the CA client
     * shares; empty for none.
     */
    private void startProxy(String token, Duration ttl, int caPort, String xdsCluster) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), token);
        String ads = xdsCluster.isEmpty() ? "" : """
                dynamic_resources:
                  ads_config: { api_type: GRPC, transport_api_version: V3, grpc_services: [ { envoy_grpc: { cluster_name: xds } } ] }
                """;
        String bootstrap = ads + """
                static_resources:
                  listeners:
                  - name: inbound
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains:
                    - transport_socket:
                        name: envoy.transport_sockets.tls
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                          common_tls_context:
                            tls_certificate_sds_secret_configs: [ { name: default } ]
                      filters:
                      - name: envoy.filters.network.tcp_proxy
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                          stat_prefix: inbound
                          cluster: up
                  clusters:
                  - name: up
                    load_assignment: { cluster_name: up, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } } } ] } ] }
                """.formatted(up.port()) + xdsCluster;
        BootstrapResult.Valid valid = (BootstrapResult.Valid) new BootstrapLoader().parse(bootstrap);
        proxy = ProxyServer.start(valid.bootstrap(), ProxyOptions.defaults().withIdentity(
                new WorkloadIdentity("127.0.0.1:" + caPort, tokenFile, SLEEP, ttl)));
    }

    /** What {@code openssl s_client} sees of the proxy's certificate, verified against the CA's root. */
    private String handshake() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), ca.rootPem());
        Path leaf = dir.resolve("served.pem");
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + proxy.listenerPort("inbound"),
                "-CAfile", root.toString(), "-verify_return_error").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", Pattern.DOTALL)
                .matcher(out);
        assertThat(m.find()).as("openssl got a certificate: %s", out).isTrue();
        Files.writeString(leaf, m.group());
        Process x509 = new ProcessBuilder("openssl", "x509", "-noout", "-serial", "-ext", "subjectAltName", "-in",
                leaf.toString()).redirectErrorStream(true).start();
        String details = new String(x509.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(x509.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out + "\n" + details;
    }

    @Test
    void theProxyServesTheCertificateTheCaIssuedForItsIdentity() throws Exception {
        startProxy("sleep-token", Duration.ofHours(1));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> proxy.listenerPort("inbound") > 0);

        String seen = handshake();
        assertThat(seen).contains("Verify return code: 0 (ok)").contains("URI:" + SLEEP);
        assertThat(proxy.warmingListeners()).isEmpty();
    }

    @Test
    void overTlsTheCaClientTrustsTheRootTheBootstrapGivesTheControlPlane() throws Exception {
        Server tls = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        TlsServerCredentials.newBuilder().keyManager(new ServingCertificate(ca,
                                ServingCertificate.ISTIOD_NAMES, Clock.systemUTC())).build())
                .addService(new CertificateService(ca, WorkloadTokens.of(Map.of("sleep-token",
                        SpiffeId.parse(SLEEP))), Duration.ofHours(24)).definition())
                .build().start();
        try {
            Path root = Files.writeString(dir.resolve("mesh-root.pem"), ca.rootPem());
            startProxy("sleep-token", Duration.ofHours(1), tls.getPort(), """
                      - name: xds
                        http2_protocol_options: {}
                        load_assignment: { cluster_name: xds, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } } } ] } ] }
                        transport_socket:
                          name: envoy.transport_sockets.tls
                          typed_config:
                            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                            sni: istiod.istio-system.svc
                            common_tls_context: { validation_context: { trusted_ca: { filename: %s } } }
                    """.formatted(tls.getPort(), root));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> proxy.listenerPort("inbound") > 0);
            assertThat(handshake()).contains("Verify return code: 0 (ok)").contains("URI:" + SLEEP);
        } finally {
            tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theCertificateIsRenewedBeforeItExpires() throws Exception {
        startProxy("sleep-token", Duration.ofSeconds(3));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> proxy.listenerPort("inbound") > 0);
        Pattern serial = Pattern.compile("serial=([0-9A-F]+)");
        List<String> serials = new ArrayList<>();
        AtomicReference<String> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Matcher m = serial.matcher(handshake());
            if (m.find() && !m.group(1).equals(last.get())) {
                last.set(m.group(1));
                serials.add(m.group(1));
            }
            return serials.size() >= 2;
        });
        assertThat(serials).doesNotHaveDuplicates();
    }

    @Test
    void aProxyWithoutAValidTokenGetsNoCertificateAndItsListenerKeepsWarming() throws Exception {
        startProxy("stolen-token", Duration.ofHours(1));
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> proxy.listenerPort("inbound") < 0);
        assertThat(proxy.warmingListeners()).containsExactly("inbound");
    }
}
