package dev.weft.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.tls.TlsConfigs;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log's view of a mutual TLS connection, as an Istio sidecar's inbound listener logs it: the peer's and
 * the proxy's SPIFFE IDs, the TLS version and the SNI the client asked for.
 */
class DownstreamTlsOperatorsTest {

    private static final String SERVER_ID = "spiffe://cluster.local/ns/default/sa/reviews";
    private static final String CLIENT_ID = "spiffe://cluster.local/ns/default/sa/productpage";

    private final TestPki pki = TestPki.create("mesh-ca");
    private final FakeHttpUpstream app = FakeHttpUpstream.start("app");
    @TempDir
    Path dir;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        app.close();
    }

    @Test
    void mutualTlsConnectionsLogTheirIdentitiesVersionAndServerName() throws Exception {
        String format = "%DOWNSTREAM_PEER_URI_SAN% %DOWNSTREAM_LOCAL_URI_SAN% %DOWNSTREAM_TLS_VERSION% "
                + "%REQUESTED_SERVER_NAME% %DOWNSTREAM_PEER_SUBJECT% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% "
                + "%DOWNSTREAM_LOCAL_PORT%\n";
        String hcm = "[ { name: envoy.filters.network.http_connection_manager, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager, "
                + "stat_prefix: inbound, access_log: " + AccessLogFormatTest.accessLog(dir.resolve("access.log"),
                        AccessLogFormatTest.text(format))
                + ", route_config: { virtual_hosts: [ { name: all, domains: [\"*\"], routes: [ { match: "
                + "{ prefix: / }, route: { cluster: app } } ] } ] }, http_filters: [ { name: envoy.filters.http.router, "
                + "typed_config: { \"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ] } } ]";
        String tls = TlsConfigs.downstream(TlsConfigs.certificate(pki.issue("reviews", "localhost", SERVER_ID))
                + ", validation_context: { trusted_ca: " + TlsConfigs.inline(pki.caPem()) + " }",
                "require_client_certificate: true");
        proxy = ProxyHarness.start("""
                static_resources:
                  listeners:
                  - name: ingress
                    address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                    filter_chains: [ { transport_socket: %s, filters: %s } ]
                  clusters:
                  - name: app
                    load_assignment: { cluster_name: app, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } } } ] } ] }
                """.formatted(tls, hcm, app.port()));
        HttpClient client = HttpClient.newBuilder().sslContext(pki.clientContext(pki.issue("productpage", CLIENT_ID)))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + proxy.port()
                + "/")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(AccessLogFormatTest.lines(dir.resolve("access.log"), 1)).singleElement()
                .satisfies(line -> assertThat(line).matches(CLIENT_ID + " " + SERVER_ID + " TLSv1\\.[23] localhost "
                        + "CN=productpage 127\\.0\\.0\\.1 " + proxy.port()));
    }
}
