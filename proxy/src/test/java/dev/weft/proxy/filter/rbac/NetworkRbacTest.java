package dev.weft.proxy.filter.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.RecordingEchoServer;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.tls.TlsConfigs;
import dev.weft.testing.Template;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envoy's network RBAC filter in front of tcp_proxy (and of the HTTP connection manager), as Istio sends
 * AuthorizationPolicy for TCP: connection facts only (addresses, ports, the mTLS peer's SPIFFE ID); a denied
 * connection is closed when its first bytes arrive and the upstream never reads any of them.
 */
class NetworkRbacTest {

    private static final String BOOTSTRAP = """
            static_resources:
              listeners:
              - name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains:
                - ${tls}
                  filters:
                  - name: envoy.filters.network.rbac
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                      stat_prefix: tcp.
            ${rbac}
                  - name: envoy.filters.network.tcp_proxy
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                      stat_prefix: raw
                      cluster: up
              clusters:
              - name: up
                load_assignment: { cluster_name: up, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${up} } } } } ] } ] }
            """;

    private RecordingEchoServer up;
    private ProxyHarness proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (up != null) {
            up.close();
        }
    }

    private void start(String rbac, String tls) throws IOException {
        up = RecordingEchoServer.start();
        proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("rbac", Bootstraps.indent(rbac, 10),
                "tls", tls, "up", up.port())));
    }

    private long stat(String name) {
        return proxy.server().stats().value("tcp.rbac." + name);
    }

    private String plain(String message) throws IOException {
        return RecordingEchoServer.roundTrip(proxy.port(), message);
    }

    @Test
    void aDeniedConnectionsAccessLogNamesThePolicy(@TempDir Path dir) throws Exception {
        up = RecordingEchoServer.start();
        Path log = dir.resolve("tcp.log");
        String accessLog = "access_log: [ { name: file, typed_config: { \"@type\": type.googleapis.com/envoy.extensions."
                + "access_loggers.file.v3.FileAccessLog, path: \"" + log + "\", log_format: { text_format: "
                + "\"%CONNECTION_TERMINATION_DETAILS% %BYTES_RECEIVED%\\n\" } } } ]";
        String bootstrap = BOOTSTRAP.replaceFirst("( *)stat_prefix: raw\n", "$1stat_prefix: raw\n$1"
                + Matcher.quoteReplacement(accessLog) + "\n");
        proxy = ProxyHarness.start(Template.of(bootstrap).render(Map.of("tls", "filter_chain_match: {}",
                "up", up.port(), "rbac", Bootstraps.indent("""
                        rules:
                          action: DENY
                          policies:
                            "ns[foo]-policy[deny-all]-rule[0]": { permissions: [ { any: true } ], principals: [ { any: true } ] }
                        """, 10))));

        assertThat(plain("hello")).isEmpty();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && !Files.readString(log).isEmpty());
        assertThat(Files.readAllLines(log)).containsExactly("rbac_access_denied_matched_policy[ns[foo]-policy[deny-all]-rule[0]] 0");
    }

    @Test
    void anAllowPolicyOnTheSourceAddressLetsOnlyItsClientsThrough() throws IOException {
        start("""
                rules:
                  action: ALLOW
                  policies:
                    loopback:
                      permissions: [ { any: true } ]
                      principals: [ { direct_remote_ip: { address_prefix: 127.0.0.0, prefix_len: 8 } } ]
                """, "filter_chain_match: {}");
        assertThat(plain("hello")).isEqualTo("hello");
        assertThat(stat("allowed")).isEqualTo(1);
        proxy.close();
        up.close();
        start("""
                rules:
                  action: ALLOW
                  policies:
                    elsewhere:
                      permissions: [ { any: true } ]
                      principals: [ { remote_ip: { address_prefix: 10.0.0.0, prefix_len: 8 } } ]
                """, "filter_chain_match: {}");
        assertThat(plain("hello")).isEmpty();
        assertThat(stat("denied")).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> up.ended() == up.accepted());
        assertThat(up.bytesRead()).as("the upstream read nothing of a denied connection").isZero();
    }

    @Test
    void aDenyPolicyOnTheDestinationPortClosesTheConnectionBeforeTheUpstreamSeesABit() throws IOException {
        up = RecordingEchoServer.start();
        proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("tls", "filter_chain_match: {}", "up", up.port(), "rbac",
                Bootstraps.indent("""
                        rules:
                          action: DENY
                          policies:
                            any-port:
                              permissions: [ { not_rule: { destination_port: 1 } } ]
                              principals: [ { any: true } ]
                        """, 10))));
        for (int i = 0; i < 5; i++) {
            assertThat(plain("secret" + i)).isEmpty();
        }
        assertThat(stat("denied")).isEqualTo(5);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> up.ended() == up.accepted());
        assertThat(up.bytesRead()).isZero();
    }

    @Test
    void headerAndPathMatchersNeverMatchAConnection() throws IOException {
        start("""
                rules:
                  action: ALLOW
                  policies:
                    http-only:
                      permissions: [ { url_path: { path: { prefix: / } } } ]
                      principals: [ { header: { name: x-user, present_match: true } } ]
                """, "filter_chain_match: {}");
        assertThat(plain("GET / HTTP/1.1\\r\\nx-user: a\\r\\n\\r\\n")).isEmpty();
        assertThat(stat("denied")).isEqualTo(1);
    }

    @Test
    void shadowRulesAreCountedWithTheirPrefixAndEnforceNothing() throws IOException {
        start("""
                shadow_rules:
                  action: DENY
                  policies:
                    everyone: { permissions: [ { any: true } ], principals: [ { any: true } ] }
                shadow_rules_stat_prefix: istio_dry_run_allow_
                """, "filter_chain_match: {}");
        assertThat(plain("one")).isEqualTo("one");
        assertThat(plain("two")).isEqualTo("two");
        assertThat(stat("istio_dry_run_allow_shadow_denied")).isEqualTo(2);
        assertThat(stat("istio_dry_run_allow_shadow_allowed")).isZero();
        assertThat(stat("allowed") + stat("denied")).as("without rules nothing is enforced or counted").isZero();
    }

    @Test
    void theMtlsPeersSpiffeIdIsThePrincipal() throws Exception {
        TestPki pki = TestPki.create("mesh-ca");
        TestPki.Issued server = pki.issue("server", "localhost");
        TestPki.Issued sleep = pki.issue("sleep", "spiffe://cluster.local/ns/default/sa/sleep");
        TestPki.Issued other = pki.issue("other", "spiffe://cluster.local/ns/other/sa/other");
        String tls = "transport_socket: " + TlsConfigs.downstream(TlsConfigs.certificate(server)
                + ", validation_context: { trusted_ca: " + TlsConfigs.inline(pki.caPem()) + " }",
                "require_client_certificate: true");
        start("""
                rules:
                  action: ALLOW
                  policies:
                    default-namespace:
                      permissions: [ { any: true } ]
                      principals: [ { authenticated: { principal_name: { safe_regex: { regex: ".*/ns/default/.*" } } } } ]
                """, tls);
        assertThat(mtls(pki, sleep, "from sleep")).isEqualTo("from sleep");
        assertThat(mtls(pki, other, "from other")).isEmpty();
        assertThat(stat("allowed")).isEqualTo(1);
        assertThat(stat("denied")).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> up.ended() == up.accepted());
        assertThat(up.bytesRead()).isEqualTo("from sleep".length());
    }

    @Test
    void inFrontOfTheConnectionManagerADeniedClientGetsNoHttpAnswer() throws Exception {
        try (FakeHttpUpstream web = FakeHttpUpstream.start("web")) {
            String yaml = Bootstraps.http("", Bootstraps.anyHost("""
                    - match: { prefix: / }
                      route: { cluster: web }
                    """), "", Bootstraps.staticCluster("web", "ROUND_ROBIN", "", web.port()))
                    .replace("    - filters:\n", """
                                - filters:
                                  - name: envoy.filters.network.rbac
                                    typed_config:
                                      "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                                      stat_prefix: tcp.
                                      rules: { action: DENY, policies: { all: { permissions: [ { any: true } ], principals: [ { any: true } ] } } }
                            """);
            proxy = ProxyHarness.start(yaml, ProxyOptions.defaults().withWorkerThreads(1));
            assertThat(plain("GET / HTTP/1.1\r\nhost: a\r\n\r\n")).isEmpty();
            assertThat(web.requestCount()).isZero();
            assertThat(stat("denied")).isEqualTo(1);
        }
    }

    private String mtls(TestPki pki, TestPki.Issued client, String message) throws IOException {
        try (SSLSocket s = (SSLSocket) pki.clientContext(client).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.startHandshake();
            return RecordingEchoServer.roundTrip(s, message);
        }
    }
}
