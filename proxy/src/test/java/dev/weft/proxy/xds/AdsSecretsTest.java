package dev.weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.Protos;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeTlsUpstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SDS over ADS: a listener warms for its secret, rotation reaches new connections only, bad input is a NACK. */
class AdsSecretsTest {

    private final FakeAdsServer ads = new FakeAdsServer();
    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private final TestPki pki = TestPki.create("gateway-ca");
    private ProxyHarness proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.close();
        }
        ads.close();
        up.close();
    }

    private void start() throws InterruptedException {
        proxy = ProxyHarness.start(ads.bootstrap("router~127.0.0.1~gw.default~default.svc.cluster.local", """
                  - name: up
                    load_assignment: { cluster_name: up, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } } } ] } ] }
                """.formatted(up.port())));
        ads.next(TypeUrls.CLUSTER);
        ads.next(TypeUrls.LISTENER);
    }

    private static Listener httpsListener(int port) {
        return Protos.fromYaml("""
                name: https
                address: { socket_address: { address: 127.0.0.1, port_value: %d } }
                filter_chains:
                - transport_socket:
                    name: envoy.transport_sockets.tls
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                      common_tls_context:
                        tls_certificate_sds_secret_configs: [ { name: "kubernetes://gw-cert", sds_config: { ads: {} } } ]
                  filters:
                  - name: hcm
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: https
                      route_config: { virtual_hosts: [ { name: all, domains: ["*"], routes: [ { match: { prefix: / }, route: { cluster: up } } ] } ] }
                      http_filters: [ { name: router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                """.formatted(port), Listener.newBuilder());
    }

    private static Secret secret(TestPki.Issued issued) {
        return secret(issued.certificatePem(), issued.privateKeyPem());
    }

    private static Secret secret(String chain, String key) {
        Secret.Builder b = Secret.newBuilder().setName("kubernetes://gw-cert");
        b.getTlsCertificateBuilder().getCertificateChainBuilder().setInlineString(chain);
        b.getTlsCertificateBuilder().getPrivateKeyBuilder().setInlineString(key);
        return b.build();
    }

    private HttpResponse<String> get(HttpClient client) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + proxy.server().listenerPort("https") + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String servedBy(HttpResponse<?> r) throws Exception {
        X509Certificate leaf = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName();
    }

    private HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.clientContext(null)).build();
    }

    @Test
    void aListenerWarmsForItsSecretAndRotationReachesNewConnectionsOnly() throws Exception {
        start();
        ads.push(TypeUrls.LISTENER, "l1", httpsListener(0));
        assertThat(ads.next(TypeUrls.LISTENER).getVersionInfo()).isEqualTo("l1");
        assertThat(ads.next(TypeUrls.SECRET).getResourceNamesList()).containsExactly("kubernetes://gw-cert");
        assertThat(proxy.server().warmingListeners()).containsExactly("https");
        assertThat(proxy.server().listenerPort("https")).isEqualTo(-1);

        ads.push(TypeUrls.SECRET, "s1", secret(pki.issue("gw-1", "localhost")));
        assertThat(ads.next(TypeUrls.SECRET).getVersionInfo()).isEqualTo("s1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().listenerPort("https") > 0);
        HttpClient before = client();
        HttpResponse<String> first = get(before);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(servedBy(first)).isEqualTo("CN=gw-1");

        ads.push(TypeUrls.SECRET, "s2", secret(pki.issue("gw-2", "localhost")));
        assertThat(ads.next(TypeUrls.SECRET).getVersionInfo()).isEqualTo("s2");
        HttpResponse<String> fresh = get(client());
        assertThat(servedBy(fresh)).as("a new connection gets the rotated certificate").isEqualTo("CN=gw-2");
        HttpResponse<String> old = get(before);
        assertThat(old.statusCode()).as("the open connection was not dropped").isEqualTo(200);
        assertThat(servedBy(old)).isEqualTo("CN=gw-1");

        TestPki.Issued other = pki.issue("gw-3", "localhost");
        ads.push(TypeUrls.SECRET, "s3", secret(other.certificatePem(), pki.issue("x").privateKeyPem()));
        DiscoveryRequest nack = ads.next(TypeUrls.SECRET);
        assertThat(nack.getVersionInfo()).isEqualTo("s2");
        assertThat(nack.getErrorDetail().getMessage())
                .contains("secret kubernetes://gw-cert").contains("private key does not match the certificate");
        assertThat(servedBy(get(client()))).as("the last good secret keeps serving").isEqualTo("CN=gw-2");
    }

    @Test
    void aListenerThatCannotBindIsANackAndTheStreamStays() throws Exception {
        start();
        ads.push(TypeUrls.SECRET, "s1", secret(pki.issue("gw-1", "localhost")));
        ads.push(TypeUrls.LISTENER, "l1", httpsListener(0));
        assertThat(ads.next(TypeUrls.LISTENER).getVersionInfo()).isEqualTo("l1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().listenerPort("https") > 0);
        int bound = proxy.server().listenerPort("https");

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ads.push(TypeUrls.LISTENER, "l2", httpsListener(taken.getLocalPort()));
            DiscoveryRequest nack = ads.next(TypeUrls.LISTENER);

            assertThat(nack.getVersionInfo()).isEqualTo("l1");
            assertThat(nack.getErrorDetail().getMessage()).contains("listener https").contains("cannot bind 127.0.0.1:"
                    + taken.getLocalPort());
        }
        assertThat(proxy.server().listenerPort("https")).as("the old socket keeps serving").isEqualTo(bound);
        assertThat(get(client()).statusCode()).isEqualTo(200);
        ads.push(TypeUrls.CLUSTER, "c1");
        assertThat(ads.next(TypeUrls.CLUSTER).getVersionInfo()).as("the same stream carries on").isEqualTo("c1");
        assertThat(ads.streamCount()).isEqualTo(1);
    }

    @Test
    void aClusterWaitsForItsSecretsThenOriginatesMutualTls() throws Exception {
        TestPki.Issued serverCert = pki.issue("reviews", "spiffe://cluster.local/ns/default/sa/reviews");
        try (FakeTlsUpstream reviews = FakeTlsUpstream.start("reviews", serverCert.certificatePem(),
                serverCert.privateKeyPem(), pki.caPem())) {
            start();
            ads.push(TypeUrls.CLUSTER, "c1", Protos.fromYaml("""
                    name: reviews
                    connect_timeout: 2s
                    load_assignment: { cluster_name: reviews, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } } } ] } ] }
                    transport_socket:
                      name: envoy.transport_sockets.tls
                      typed_config:
                        "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                        common_tls_context:
                          tls_certificate_sds_secret_configs: [ { name: default, sds_config: { ads: {} } } ]
                          combined_validation_context:
                            default_validation_context: { match_subject_alt_names: [ { exact: "spiffe://cluster.local/ns/default/sa/reviews" } ] }
                            validation_context_sds_secret_config: { name: ROOTCA, sds_config: { ads: {} } }
                    """.formatted(reviews.port()), Cluster.newBuilder()));
            assertThat(ads.next(TypeUrls.CLUSTER).getVersionInfo()).isEqualTo("c1");
            assertThat(ads.next(TypeUrls.SECRET).getResourceNamesList()).containsExactly("ROOTCA", "default");
            ads.push(TypeUrls.LISTENER, "l1", Protos.fromYaml("""
                    name: plain
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains:
                    - filters:
                      - name: hcm
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                          stat_prefix: plain
                          route_config: { virtual_hosts: [ { name: all, domains: ["*"], routes: [ { match: { prefix: / }, route: { cluster: reviews } } ] } ] }
                          http_filters: [ { name: router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                    """, Listener.newBuilder()));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().listenerPort("plain") > 0);
            URI uri = URI.create("http://127.0.0.1:" + proxy.server().listenerPort("plain") + "/reviews");

            HttpResponse<String> before = proxy.client().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(before.statusCode()).as("no certificate yet").isEqualTo(503);

            TestPki.Issued sidecar = pki.issue("sidecar", "spiffe://cluster.local/ns/default/sa/productpage");
            Secret.Builder root = Secret.newBuilder().setName("ROOTCA");
            root.getValidationContextBuilder().getTrustedCaBuilder().setInlineString(pki.caPem());
            ads.push(TypeUrls.SECRET, "s1", secret(sidecar).toBuilder().setName("default").build(), root.build());
            assertThat(ads.next(TypeUrls.SECRET).getVersionInfo()).isEqualTo("s1");

            HttpResponse<String> after = proxy.client().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.headers().firstValue("x-client-cert")).contains("CN=sidecar");
        }
    }
}
