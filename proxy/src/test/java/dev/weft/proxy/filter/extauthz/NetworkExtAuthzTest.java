package dev.weft.proxy.filter.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.RecordingEchoServer;
import dev.weft.testing.Template;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's network ext_authz filter as Istio's CUSTOM action sends it for TCP: network RBAC shadow rules mark the
 * connections a CUSTOM policy covers, and only those are checked with the gRPC service (a real grpc-java server);
 * a denied connection is closed before the upstream reads a byte.
 */
class NetworkExtAuthzTest {

    private static final String BOOTSTRAP = """
            static_resources:
              listeners:
              - name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains:
                - filters:
                  - name: envoy.filters.network.rbac
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                      stat_prefix: tcp.
                      shadow_rules_stat_prefix: istio_ext_authz_
                      shadow_rules:
                        action: DENY
                        policies:
                          istio-ext-authz-default-ns[foo]-policy[tcp]-rule[0]:
                            permissions: [ { and_rules: { rules: [ { any: true } ] } } ]
                            principals: [ { and_ids: { ids: [ { or_ids: { ids: [ { direct_remote_ip: { address_prefix: ${covered}, prefix_len: 8 } } ] } } ] } } ]
                  - name: envoy.filters.network.ext_authz
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.ext_authz.v3.ExtAuthz
                      stat_prefix: tcp
                      transport_api_version: V3
                      failure_mode_allow: ${failureModeAllow}
                      filter_enabled_metadata:
                        filter: envoy.filters.network.rbac
                        path: [ { key: istio_ext_authz_shadow_effective_policy_id } ]
                        value: { string_match: { prefix: istio-ext-authz-default } }
                      grpc_service:
                        envoy_grpc: { cluster_name: "outbound|9000||ext-authz.foo.svc.cluster.local" }
                        timeout: 5s
                  - name: envoy.filters.network.tcp_proxy
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                      stat_prefix: raw
                      cluster: up
              clusters:
              - name: up
                load_assignment: { cluster_name: up, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${up} } } } } ] } ] }
              - name: "outbound|9000||ext-authz.foo.svc.cluster.local"
                load_assignment: { cluster_name: authz, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${authz} } } } } ] } ] }
            """;

    private final SampleGrpcAuthzServer authz = new SampleGrpcAuthzServer();
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
        authz.close();
    }

    private void start(String covered, boolean failureModeAllow, int authzPort) throws IOException {
        up = RecordingEchoServer.start();
        proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("covered", covered, "up", up.port(),
                "authz", authzPort, "failureModeAllow", failureModeAllow)));
    }

    private long stat(String name) {
        return proxy.server().stats().value("ext_authz.tcp." + name);
    }

    @Test
    void aCoveredConnectionIsCheckedAndGoesOnWhenAllowed() throws IOException {
        start("127.0.0.0", false, authz.port());
        authz.allowConnections(true);
        assertThat(RecordingEchoServer.roundTrip(proxy.port(), "hello")).isEqualTo("hello");
        AttributeContext check = authz.checks().getFirst().getAttributes();
        assertThat(check.getSource().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
        assertThat(check.getDestination().getAddress().getSocketAddress().getPortValue()).isEqualTo(proxy.port());
        assertThat(check.getRequest().hasHttp()).isFalse();
        assertThat(stat("ok")).isEqualTo(1);
    }

    @Test
    void aDeniedConnectionIsClosedBeforeTheUpstreamReadsAByte() throws IOException {
        start("127.0.0.0", false, authz.port());
        assertThat(RecordingEchoServer.roundTrip(proxy.port(), "secret")).isEmpty();
        assertThat(stat("denied")).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> up.ended() == up.accepted());
        assertThat(up.bytesRead()).isZero();
    }

    @Test
    void aConnectionNoCustomPolicyCoversIsNotChecked() throws IOException {
        start("10.0.0.0", false, authz.port());
        assertThat(RecordingEchoServer.roundTrip(proxy.port(), "hello")).isEqualTo("hello");
        assertThat(authz.checks()).isEmpty();
        assertThat(stat("disabled")).isEqualTo(1);
    }

    @Test
    void anUnreachableServiceClosesTheConnectionUnlessFailureModeAllow() throws IOException {
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        start("127.0.0.0", false, closedPort);
        assertThat(RecordingEchoServer.roundTrip(proxy.port(), "hello")).isEmpty();
        assertThat(stat("error")).isEqualTo(1);
        proxy.close();
        up.close();
        start("127.0.0.0", true, closedPort);
        assertThat(RecordingEchoServer.roundTrip(proxy.port(), "hello")).isEqualTo("hello");
        assertThat(stat("failure_mode_allowed")).isEqualTo(1);
    }
}
