package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * AuthorizationPolicies live: productpage's inbound listener, as weftd generates it for a local-runtime sidecar,
 * runs in weft-proxy in front of a real app. allow-nothing plus productpage-viewer let GET through and answer
 * other methods with 403; a DENY policy on a peer address wins over the ALLOW one.
 */
class AuthorizationLiveTest {

    private static final String CONFIG = """
            apiVersion: v1
            kind: Service
            metadata: {name: productpage, namespace: default}
            spec: {selector: {app: productpage}, ports: [{name: http, port: 9080}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: allow-nothing, namespace: default}
            spec: {}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: productpage-viewer, namespace: default}
            spec:
              selector: {matchLabels: {app: productpage}}
              rules: [{to: [{operation: {methods: ["GET"]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-blocked-peer, namespace: default}
            spec:
              selector: {matchLabels: {app: productpage}}
              action: DENY
              rules: [{from: [{source: {ipBlocks: ["127.0.0.2"]}}]}]
            """;

    @Test
    void getIsAllowedOtherMethodsAndDeniedPeersGet403() throws IOException, InterruptedException {
        try (FakeHttpUpstream app = FakeHttpUpstream.start("productpage")) {
            PushContext push = LiveProxy.push(CONFIG);
            ProxyServer server = LiveProxy.start(push, productpage(app.port()), "inbound_9080"::equals);
            try (HttpClient client = HttpClient.newHttpClient();
                    HttpClient blocked = HttpClient.newBuilder()
                            .localAddress(InetAddress.getByName("127.0.0.2")).build()) {
                String url = "http://127.0.0.1:" + server.listenerPort("inbound_9080") + "/productpage";

                HttpResponse<String> get = send(client, url, "GET");
                HttpResponse<String> post = send(client, url, "POST");
                HttpResponse<String> fromBlocked = send(blocked, url, "GET");

                assertThat(get.statusCode()).isEqualTo(200);
                assertThat(get.headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("productpage");
                assertThat(post.statusCode()).isEqualTo(403);
                assertThat(post.body()).isEqualTo("RBAC: access denied");
                assertThat(fromBlocked.statusCode()).as("DENY before ALLOW").isEqualTo(403);
                assertThat(app.requestCount()).isEqualTo(1);
            } finally {
                server.close();
            }
        }
    }

    private static HttpResponse<String> send(HttpClient client, String url, String method)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** productpage as a local-runtime sidecar on 127.0.0.1: its inbound port on a port the OS picks, to the app. */
    private static ProxyNode productpage(int appPort) {
        Struct workload = Struct.newBuilder()
                .putFields("port", Value.newBuilder().setNumberValue(9080).build())
                .putFields("proxy", Value.newBuilder().setNumberValue(0).build())
                .putFields("app", Value.newBuilder().setNumberValue(appPort).build())
                .build();
        Struct ports = Struct.newBuilder()
                .putFields("outbound", Value.newBuilder().setNumberValue(0).build())
                .putFields("admin", Value.newBuilder().setNumberValue(0).build())
                .putFields("workload", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setStructValue(workload))).build())
                .build();
        Struct labels = Struct.newBuilder()
                .putFields("app", Value.newBuilder().setStringValue("productpage").build()).build();
        return ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~127.0.0.1~productpage-1.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder()
                        .putFields(ProxyNode.LOCAL_PORTS_KEY, Value.newBuilder().setStructValue(ports).build())
                        .putFields("LABELS", Value.newBuilder().setStructValue(labels).build()))
                .build());
    }
}
