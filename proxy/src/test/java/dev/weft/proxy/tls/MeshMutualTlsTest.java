package dev.weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.RecordedRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Istio's sidecar-to-sidecar hop between two real proxies: the client picks mutual TLS or plain text per endpoint
 * (transport_socket_matches on the endpoint's {@code tlsMode} metadata), the server tells TLS from plain text
 * (tls_inspector and transport_protocol chains) and hands the app the caller's identity in
 * {@code x-forwarded-client-cert}.
 */
class MeshMutualTlsTest {

    private static final String SERVER_ID = "spiffe://cluster.local/ns/default/sa/reviews";
    private static final String CLIENT_ID = "spiffe://cluster.local/ns/default/sa/productpage";

    private final TestPki pki = TestPki.create("mesh-ca");
    private final TestPki.Issued serverCert = pki.issue("reviews", SERVER_ID);
    private final TestPki.Issued clientCert = pki.issue("productpage", CLIENT_ID);
    private final FakeHttpUpstream app = FakeHttpUpstream.start("reviews");
    private ProxyHarness server;
    private ProxyHarness client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        app.close();
    }

    private static String inboundHcm(String prefix) {
        return "[ { name: envoy.filters.network.http_connection_manager, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager, "
                + "stat_prefix: " + prefix + ", forward_client_cert_details: APPEND_FORWARD, "
                + "set_current_client_cert_details: { subject: true, dns: true, uri: true }, "
                + "route_config: { virtual_hosts: [ { name: all, domains: [\"*\"], routes: [ { match: "
                + "{ prefix: / }, route: { cluster: app } } ] } ] }, http_filters: [ { name: envoy.filters.http.router, "
                + "typed_config: { \"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ] } } ]";
    }

    /** A PERMISSIVE inbound port: mutual TLS when the client speaks TLS, plain text otherwise. */
    private void startServer() {
        server = ProxyHarness.start("""
                static_resources:
                  listeners:
                  - name: ingress
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    listener_filters: [ { name: envoy.filters.listener.tls_inspector, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector } } ]
                    filter_chains:
                    - filter_chain_match: { transport_protocol: tls }
                      transport_socket: %s
                      filters: %s
                    - filter_chain_match: { transport_protocol: raw_buffer }
                      filters: %s
                  clusters:
                  - %s
                """.formatted(
                TlsConfigs.downstream(TlsConfigs.certificate(serverCert) + ", validation_context: { trusted_ca: "
                        + TlsConfigs.inline(pki.caPem()) + " }", "require_client_certificate: true"),
                inboundHcm("inbound_tls"), inboundHcm("inbound_plain"), TlsConfigs.cluster("app", app.port(), "")));
    }

    /** A client whose one endpoint, the server proxy, carries {@code metadata} (flow style, or ""). */
    private void startClient(String endpointMetadata, String serverSan) {
        String mtls = TlsConfigs.upstream(TlsConfigs.certificate(clientCert) + ", validation_context: { trusted_ca: "
                + TlsConfigs.inline(pki.caPem()) + ", match_subject_alt_names: [ { exact: \"" + serverSan + "\" } ] }, "
                + "alpn_protocols: [ istio-peer-exchange, istio ]", "sni: outbound_.9080_._.reviews.default.svc.cluster.local");
        client = ProxyHarness.start("""
                admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }
                static_resources:
                  listeners:
                  - name: ingress
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains: [ { filters: %s } ]
                  clusters:
                  - name: reviews
                    connect_timeout: 2s
                    transport_socket_matches:
                    - { name: tlsMode-istio, match: { tlsMode: istio }, transport_socket: %s }
                    - { name: tlsMode-disabled, match: {}, transport_socket: { name: envoy.transport_sockets.raw_buffer, typed_config: { "@type": type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer } } }
                    load_assignment:
                      cluster_name: reviews
                      endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }%s } ] } ]
                """.formatted(TlsConfigs.httpTo("reviews"), mtls, server.port(), endpointMetadata));
    }

    private static final String ISTIO_ENDPOINT =
            ", metadata: { filter_metadata: { envoy.transport_socket_match: { tlsMode: istio } } }";

    @Test
    void anEndpointWithASidecarGetsMutualTlsAndTheAppLearnsTheCaller() throws Exception {
        startServer();
        startClient(ISTIO_ENDPOINT, SERVER_ID);

        HttpResponse<String> response = client.get("/reviews/0", "x-forwarded-client-cert", "By=forged;URI=forged");

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest seen = app.requests().getLast();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(clientCert.certificate().getEncoded()));
        // The client's own header is dropped by the client proxy (SANITIZE by default); the server adds one element.
        assertThat(seen.header("x-forwarded-client-cert")).isEqualTo("By=" + SERVER_ID + ";Hash=" + hash
                + ";Subject=\"" + clientCert.certificate().getSubjectX500Principal().getName() + "\";URI=" + CLIENT_ID);
        assertThat(server.server().stats().value("http.inbound_tls.downstream_rq_total")).isEqualTo(1);
        HttpResponse<String> dump = client.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + client.server().adminPort() + "/config_dump")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(dump.body()).as("the admin prints every socket of the matches").contains("tlsMode-disabled")
                .contains("envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer");
    }

    @Test
    void anEndpointWithoutTheMetadataGetsPlainTextAndNoCallerIdentity() {
        startServer();
        startClient("", SERVER_ID);

        assertThat(client.get("/").statusCode()).isEqualTo(200);

        assertThat(app.requests().getLast().header("x-forwarded-client-cert")).isNull();
        assertThat(server.server().stats().value("http.inbound_plain.downstream_rq_total")).isEqualTo(1);
    }

    @Test
    void aPlainTextCallerCannotForgeTheHeader() {
        startServer();

        assertThat(server.get("/", "x-forwarded-client-cert", "By=x;URI=" + CLIENT_ID).statusCode()).isEqualTo(200);

        assertThat(app.requests().getLast().header("x-forwarded-client-cert")).isNull();
    }

    @Test
    void secureNamingRefusesAServerWithAnotherIdentity() {
        startServer();
        startClient(ISTIO_ENDPOINT, "spiffe://cluster.local/ns/default/sa/ratings");

        assertThat(client.get("/").statusCode()).isEqualTo(503);
        assertThat(app.requestCount()).isZero();
    }
}
