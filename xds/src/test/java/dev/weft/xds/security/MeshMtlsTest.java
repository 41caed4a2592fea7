package dev.weft.xds.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.xds.PushFixture;
import dev.weft.xds.cluster.ClusterGenerator;
import dev.weft.xds.endpoint.EndpointGenerator;
import dev.weft.xds.listener.ListenerGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mesh mTLS in the generated config: PeerAuthentication decides the inbound chains of a workload port, auto
 * mTLS the outbound cluster's sockets, and only a proxy holding a workload certificate speaks mutual TLS.
 */
class MeshMtlsTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: reviews-v1, namespace: bookinfo}
            spec:
              address: 10.0.0.5
              serviceAccount: bookinfo-reviews
              labels: {app: reviews, security.istio.io/tlsMode: istio}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: reviews-legacy, namespace: bookinfo}
            spec:
              address: 10.0.0.6
              labels: {app: reviews}
            """;

    private static PushContext push(String extra) {
        return PushFixture.push(MESH + (extra.isEmpty() ? "" : "---\n" + extra),
                MeshSettings.DEFAULT.withTrustDomain("cluster.local", List.of("old.example")));
    }

    private static ProxyNode proxy(String name, String app, boolean certificate) {
        Struct.Builder metadata = PushFixture.metadata(Map.of("app", app)).toBuilder();
        if (certificate) {
            metadata.putFields(ProxyNode.WORKLOAD_IDENTITY_KEY, Value.newBuilder()
                    .setStringValue("spiffe://cluster.local/ns/bookinfo/sa/" + name).build());
        }
        return ProxyNode.fromNode(Node.newBuilder().setId("sidecar~10.0.0.5~" + name + "-1.bookinfo~bookinfo.svc.cluster.local")
                .setMetadata(metadata).build());
    }

    private static final ProxyNode REVIEWS = proxy("reviews", "reviews", true);
    private static final ProxyNode PRODUCTPAGE = proxy("productpage", "productpage", true);

    private static List<FilterChain> portChains(PushContext push, ProxyNode proxy) {
        Listener inbound = ListenerGenerator.generate(push, proxy).stream()
                .filter(l -> l.getName().equals(ListenerGenerator.VIRTUAL_INBOUND)).findFirst().orElseThrow();
        return inbound.getFilterChainsList().stream()
                .filter(c -> c.getFilterChainMatch().getDestinationPort().getValue() == 9080).toList();
    }

    private static List<String> shapes(List<FilterChain> chains) {
        return chains.stream().map(c -> c.getFilterChainMatch().getTransportProtocol() + "/"
                + String.join(",", c.getFilterChainMatch().getApplicationProtocolsList()) + "/"
                + (c.hasTransportSocket() ? "mtls" : "plain") + "/" + c.getName()).toList();
    }

    @Test
    void withoutAPolicyAWorkloadPortIsPermissive() throws Exception {
        List<FilterChain> chains = portChains(push(""), REVIEWS);

        assertThat(shapes(chains)).containsExactly(
                "tls/istio-peer-exchange,istio,istio-http/1.0,istio-http/1.1,istio-h2/mtls/inbound|9080||-mtls",
                "tls//plain/inbound|9080||-tls-passthrough",
                "raw_buffer//plain/inbound|9080||");
        DownstreamTlsContext tls = chains.getFirst().getTransportSocket().getTypedConfig()
                .unpack(DownstreamTlsContext.class);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig()
                .getName()).isEqualTo("ROOTCA");
    }

    @Test
    void namespaceStrictRefusesPlainTextAndAWorkloadPolicyBeatsIt() {
        String strict = """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: bookinfo}
                spec: {mtls: {mode: STRICT}}
                """;
        assertThat(shapes(portChains(push(strict), REVIEWS))).containsExactly(
                "tls//mtls/inbound|9080||-mtls", "//plain/inbound|9080||-plaintext-refused");

        String workloadDisable = strict + """
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: reviews, namespace: bookinfo}
                spec: {selector: {matchLabels: {app: reviews}}, mtls: {mode: DISABLE}}
                """;
        assertThat(shapes(portChains(push(workloadDisable), REVIEWS))).containsExactly("//plain/inbound|9080||");

        String portPermissive = strict + """
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: reviews, namespace: bookinfo}
                spec: {selector: {matchLabels: {app: reviews}}, portLevelMtls: {9080: {mode: PERMISSIVE}}}
                """;
        assertThat(shapes(portChains(push(portPermissive), REVIEWS))).hasSize(3);
    }

    @Test
    void aMeshWideStrictPolicyAlsoGuardsThePassthroughOfUndeclaredPorts() {
        Listener inbound = ListenerGenerator.generate(push("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                spec: {mtls: {mode: STRICT}}
                """), REVIEWS).stream().filter(l -> l.getName().equals(ListenerGenerator.VIRTUAL_INBOUND))
                .findFirst().orElseThrow();

        assertThat(inbound.getDefaultFilterChain().hasTransportSocket()).isTrue();
        assertThat(inbound.getListenerFiltersList()).extracting(f -> f.getName())
                .contains("envoy.filters.listener.tls_inspector");
    }

    @Test
    void aProxyWithoutAWorkloadCertificateNeitherAcceptsNorOriginatesMutualTls() {
        PushContext push = push("");
        ProxyNode bare = proxy("reviews", "reviews", false);

        assertThat(shapes(portChains(push, bare))).containsExactly("//plain/inbound|9080||");
        assertThat(cluster(push, proxy("productpage", "productpage", false)).getTransportSocketMatchesList()).isEmpty();
    }

    private static Cluster cluster(PushContext push, ProxyNode proxy) {
        return ClusterGenerator.generate(push, proxy).stream()
                .filter(c -> c.getName().equals("outbound|9080||reviews.bookinfo.svc.cluster.local"))
                .findFirst().orElseThrow();
    }

    @Test
    void aTcpPortOffersIstiosMetadataExchangeAndTakesItsFrameOffFirst() throws Exception {
        PushContext push = push("""
                apiVersion: v1
                kind: Service
                metadata: {name: reviews-tcp, namespace: bookinfo}
                spec:
                  selector: {app: reviews}
                  ports: [{name: tcp, port: 9090}]
                """);
        Listener inbound = ListenerGenerator.generate(push, REVIEWS).stream()
                .filter(l -> l.getName().equals(ListenerGenerator.VIRTUAL_INBOUND)).findFirst().orElseThrow();
        FilterChain tcp = inbound.getFilterChainsList().stream()
                .filter(c -> c.getName().equals("inbound|9090||-mtls")).findFirst().orElseThrow();

        assertThat(tcp.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class).getCommonTlsContext()
                .getAlpnProtocolsList()).containsExactly("istio-peer-exchange", "h2", "http/1.1");
        assertThat(tcp.getFilters(0).getName()).isEqualTo("istio.metadata_exchange");
        assertThat(portChains(push, REVIEWS).getFirst().getTransportSocket().getTypedConfig()
                .unpack(DownstreamTlsContext.class).getCommonTlsContext().getAlpnProtocolsList())
                .as("an HTTP port's clients never get the exchange").containsExactly("h2", "http/1.1");
        assertThat(cluster(push, PRODUCTPAGE).getFiltersList()).extracting(f -> f.getName())
                .containsExactly("istio.metadata_exchange");
    }

    @Test
    void autoMtlsPicksMutualTlsForEndpointsWithASidecarAndChecksTheirAccounts() throws Exception {
        PushContext push = push("");
        Cluster reviews = cluster(push, PRODUCTPAGE);

        assertThat(reviews.getTransportSocketMatchesList()).extracting(Cluster.TransportSocketMatch::getName)
                .containsExactly("tlsMode-istio", "tlsMode-disabled");
        UpstreamTlsContext tls = reviews.getTransportSocketMatches(0).getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEqualTo("outbound_.9080_._.reviews.bookinfo.svc.cluster.local");
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("istio-peer-exchange", "istio");
        // Only the sidecar'd workload's account: the legacy one has no sidecar, so no certificate to check.
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchSubjectAltNamesList()).extracting(StringMatcher::getExact).containsExactly(
                "spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews",
                "spiffe://old.example/ns/bookinfo/sa/bookinfo-reviews");

        assertThat(endpointTlsModes(push)).isEqualTo(Map.of("10.0.0.5", "istio", "10.0.0.6", ""));
        // Both the proxy's admin and weftd's debug output can print every socket the matches name.
        assertThat(com.google.protobuf.util.JsonFormat.printer()
                .usingTypeRegistry(dev.weft.proxy.bootstrap.TypeRegistries.envoy()).print(reviews))
                .contains("RawBuffer");
        assertThat(dev.weft.xds.XdsJson.print(reviews)).contains("RawBuffer");
    }

    private static Map<String, String> endpointTlsModes(PushContext push) {
        ClusterLoadAssignment endpoints = EndpointGenerator.generate(push, PRODUCTPAGE).stream()
                .filter(a -> a.getClusterName().equals("outbound|9080||reviews.bookinfo.svc.cluster.local"))
                .findFirst().orElseThrow();
        Map<String, String> tlsModes = new java.util.TreeMap<>();
        endpoints.getEndpoints(0).getLbEndpointsList().forEach(e -> tlsModes.put(
                e.getEndpoint().getAddress().getSocketAddress().getAddress(),
                e.getMetadata().getFilterMetadataOrDefault(EndpointGenerator.TRANSPORT_SOCKET_MATCH,
                        Struct.getDefaultInstance()).getFieldsOrDefault("tlsMode", Value.getDefaultInstance())
                        .getStringValue()));
        return tlsModes;
    }

    /** weftd knows each workload's mode, so a workload-level DISABLE needs no DestinationRule, unlike in Istio. */
    @Test
    void autoMtlsFollowsEachWorkloadsOwnPeerAuthentication() {
        String namespaceDisable = """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: bookinfo}
                spec: {mtls: {mode: DISABLE}}
                """;
        assertThat(endpointTlsModes(push(namespaceDisable))).containsEntry("10.0.0.5", "");
        String strictButReviewsDisabled = """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: bookinfo}
                spec: {mtls: {mode: STRICT}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: reviews, namespace: bookinfo}
                spec: {selector: {matchLabels: {app: reviews}}, portLevelMtls: {9080: {mode: DISABLE}}}
                """;
        assertThat(endpointTlsModes(push(strictButReviewsDisabled))).containsEntry("10.0.0.5", "");
        assertThat(endpointTlsModes(push(namespaceDisable + """
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: reviews, namespace: bookinfo}
                spec: {selector: {matchLabels: {app: reviews}}, mtls: {mode: STRICT}}
                """))).containsEntry("10.0.0.5", "istio");
    }

    @Test
    void aDestinationRuleDecidesTheClientsTls() throws Exception {
        Cluster disabled = cluster(push("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: bookinfo}
                spec: {host: reviews, trafficPolicy: {tls: {mode: DISABLE}}}
                """), PRODUCTPAGE);
        assertThat(disabled.getTransportSocketMatchesList()).isEmpty();
        assertThat(disabled.hasTransportSocket()).isFalse();

        Cluster istioMutual = cluster(push("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: bookinfo}
                spec: {host: reviews, trafficPolicy: {tls: {mode: ISTIO_MUTUAL, sni: reviews.internal}}}
                """), PRODUCTPAGE);
        assertThat(istioMutual.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class).getSni())
                .isEqualTo("reviews.internal");
    }
}
