package dev.weft.proxy.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.Commands;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envoy's HTTP RBAC filter as Istio configures it for AuthorizationPolicy: ALLOW and DENY policies over headers,
 * paths, methods, addresses and ports, the mTLS peer's SPIFFE ID, shadow rules that only count, and per-route
 * overrides. A denial is 403 {@code RBAC: access denied} and never reaches the upstream.
 */
class RbacFilterTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private ProxyHarness proxy;
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
    }

    private static String rbacFilter(String config) {
        return Bootstraps.indent("""
                - name: envoy.filters.http.rbac
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                """ + Bootstraps.indent(config, 4), 10);
    }

    private void start(String rbacConfig, String routes) {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost(routes), rbacFilter(rbacConfig),
                Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
    }

    private void start(String rbacConfig) {
        start(rbacConfig, """
                - match: { prefix: / }
                  route: { cluster: up }
                """);
    }

    private long stat(String name) {
        return proxy.server().stats().value("http.ingress_http.rbac." + name);
    }

    @Test
    void anAllowPolicyLetsThroughOnlyWhatItMatches() {
        start("""
                rules:
                  action: ALLOW
                  policies:
                    admins:
                      permissions: [ { and_rules: { rules: [
                        { url_path: { path: { prefix: /admin } } },
                        { header: { name: ":method", string_match: { exact: GET } } } ] } } ]
                      principals: [ { header: { name: x-user, string_match: { exact: admin } } } ]
                """);
        assertThat(proxy.get("/admin/users", "x-user", "admin").statusCode()).isEqualTo(200);
        HttpResponse<String> denied = proxy.get("/admin/users", "x-user", "guest");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("RBAC: access denied");
        assertThat(proxy.get("/public", "x-user", "admin").statusCode()).as("no permission matches").isEqualTo(403);
        assertThat(up.requests()).extracting(r -> r.uri()).containsExactly("/admin/users");
        assertThat(stat("allowed")).isEqualTo(1);
        assertThat(stat("denied")).isEqualTo(2);
        assertThat(stat("policy.admins.allowed")).as("the policy that let the request through").isEqualTo(1);
        assertThat(stat("policy.admins.denied")).as("denials no policy matched are not the policy's").isZero();
        assertThat(stat("unmatched.ALLOW.denied")).as("denied because no ALLOW policy matched").isEqualTo(2);
    }

    @Test
    void aDenyPolicyStopsOnlyWhatItMatches() {
        start("""
                rules:
                  action: DENY
                  policies:
                    no-writes:
                      permissions: [ { header: { name: ":method", string_match: { exact: POST } } } ]
                      principals: [ { any: true } ]
                """);
        assertThat(proxy.get("/read").statusCode()).isEqualTo(200);
        HttpResponse<String> post = proxy.send(HttpRequest.newBuilder(proxy.uri("/write"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(up.requestCount()).isEqualTo(1);
        assertThat(stat("policy.no-writes.denied")).as("the policy that stopped the request").isEqualTo(1);
        assertThat(stat("policy.no-writes.allowed")).isZero();
        assertThat(admin("/stats/prometheus")).contains("envoy_http_rbac_policy_denied{"
                + "envoy_http_conn_manager_prefix=\"ingress_http\",envoy_rbac_policy=\"no-writes\"} 1");
    }

    private String admin(String path) {
        return proxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().adminPort() + path))
                .build()).body();
    }

    @Test
    void sourceAddressesAndDestinationPortsMatch() {
        start("""
                rules:
                  action: ALLOW
                  policies:
                    loopback-only:
                      permissions: [ { not_rule: { destination_port: 1 } } ]
                      principals: [ { direct_remote_ip: { address_prefix: 127.0.0.0, prefix_len: 8 } } ]
                """);
        assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        proxy.close();
        start("""
                rules:
                  action: ALLOW
                  policies:
                    elsewhere:
                      permissions: [ { any: true } ]
                      principals: [ { remote_ip: { address_prefix: 10.0.0.0, prefix_len: 8 } } ]
                """);
        assertThat(proxy.get("/").statusCode()).isEqualTo(403);
    }

    @Test
    void shadowRulesAreCountedButNotEnforced() {
        start("""
                shadow_rules:
                  action: DENY
                  policies:
                    everything: { permissions: [ { any: true } ], principals: [ { any: true } ] }
                """);
        assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        assertThat(stat("shadow_denied")).isEqualTo(1);
        assertThat(stat("policy.everything.shadow_denied")).isEqualTo(1);
        assertThat(stat("denied")).isZero();
    }

    @Test
    void aRouteCanTurnRbacOffOrReplaceIt() {
        start("""
                rules: { action: DENY, policies: { all: { permissions: [ { any: true } ], principals: [ { any: true } ] } } }
                """, """
                - match: { prefix: /open }
                  route: { cluster: up }
                  typed_per_filter_config:
                    envoy.filters.http.rbac:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute
                - match: { prefix: / }
                  route: { cluster: up }
                """);
        assertThat(proxy.get("/open").statusCode()).isEqualTo(200);
        assertThat(proxy.get("/closed").statusCode()).isEqualTo(403);
    }

    @Test
    void metadataNoFilterSetMatchesNothingAndAMatcherWithoutAValueIsRefused() {
        start("""
                rules:
                  action: DENY
                  policies:
                    jwt:
                      permissions: [ { any: true } ]
                      principals: [ { metadata: { filter: envoy.filters.http.jwt_authn, path: [ { key: payload }, { key: iss } ],
                                                  value: { present_match: true } } } ]
                """);
        assertThat(proxy.get("/").statusCode()).as("no jwt_authn ran: no payload").isEqualTo(200);
        proxy.close();
        assertThatThrownBy(() -> start("""
                rules:
                  action: DENY
                  policies:
                    jwt:
                      permissions: [ { any: true } ]
                      principals: [ { metadata: { filter: istio_authn, path: [ { key: request.auth.principal } ] } } ]
                """)).hasMessageContaining("RBAC policy jwt").hasMessageContaining("metadata matcher needs");
    }

    @Test
    void theMtlsPeersSpiffeIdIsThePrincipal() throws Exception {
        TestPki pki = TestPki.create("mesh-ca");
        TestPki.Issued server = pki.issue("server", "localhost");
        TestPki.Issued sleep = pki.issue("sleep", "spiffe://cluster.local/ns/default/sa/sleep");
        TestPki.Issued other = pki.issue("other", "spiffe://cluster.local/ns/default/sa/other");
        String tls = """
                transport_socket:
                  name: envoy.transport_sockets.tls
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                    require_client_certificate: true
                    common_tls_context:
                      tls_certificates: [ { certificate_chain: { inline_string: "%s" }, private_key: { inline_string: "%s" } } ]
                      validation_context: { trusted_ca: { inline_string: "%s" } }
                """.formatted(escape(server.certificatePem()), escape(server.privateKeyPem()), escape(pki.caPem()));
        String yaml = Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), rbacFilter("""
                rules:
                  action: ALLOW
                  policies:
                    sleep-only:
                      permissions: [ { any: true } ]
                      principals: [ { authenticated: { principal_name: { exact: "spiffe://cluster.local/ns/default/sa/sleep" } } } ]
                """), Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port()))
                .replace("    filter_chains:\n    - filters:", "    filter_chains:\n    - " + Bootstraps.indent(tls, 6)
                        .stripLeading() + "      filters:");
        proxy = ProxyHarness.start(yaml);
        Path ca = Files.writeString(dir.resolve("ca.pem"), pki.caPem());
        String url = "https://localhost:" + proxy.port() + "/";
        assertThat(curl(ca, sleep, url)).isEqualTo("200");
        assertThat(curl(ca, other, url)).isEqualTo("403");
    }

    private String curl(Path ca, TestPki.Issued client, String url) throws Exception {
        Path cert = Files.writeString(dir.resolve(client.certificate().getSerialNumber() + ".pem"),
                client.certificatePem());
        Path key = Files.writeString(dir.resolve(client.certificate().getSerialNumber() + "-key.pem"),
                client.privateKeyPem());
        return Commands.curl("--cacert", ca.toString(), "--cert", cert.toString(), "--key", key.toString(), "-o",
                "/dev/null", "-w", "%{http_code}", url).output();
    }

    private static String escape(String pem) {
        return pem.replace("\n", "\\n");
    }
}
