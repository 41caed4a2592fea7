package dev.weft.xds.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.xds.PushFixture;
import dev.weft.xds.cluster.ClusterGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.route.RouteGenerator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Istio's Gateway server TLS modes as listeners of the ingress gateway (SEMANTICS §3, ServerTLSSettings). */
class GatewayTlsTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Service
            metadata: {name: istio-ingressgateway, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              ports: [{name: http2, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: httpbin, namespace: default}
            spec:
              selector: {app: httpbin}
              ports: [{name: http, port: 8000}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: nginx, namespace: default}
            spec:
              selector: {app: nginx}
              ports: [{name: https, port: 443}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: httpbin, namespace: default}
            spec:
              hosts: [httpbin.example.com]
              gateways: [mygateway]
              http:
              - route: [{destination: {host: httpbin, port: {number: 8000}}}]
            """;

    private static PushContext push(String gateway) {
        return PushFixture.push(MESH + "---\n" + gateway);
    }

    private static ProxyNode gateway(boolean workloadCertificate) {
        Struct.Builder metadata = PushFixture.metadata(Map.of("istio", "ingressgateway")).toBuilder();
        if (workloadCertificate) {
            metadata.putFields(ProxyNode.WORKLOAD_IDENTITY_KEY, Value.newBuilder().setStringValue(
                    "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway").build());
        }
        return ProxyNode.fromNode(Node.newBuilder()
                .setId("router~10.0.9.1~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local")
                .setMetadata(metadata).build());
    }

    private static String gatewayWith(String server) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: mygateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                """ + server.indent(2);
    }

    private static Listener listener(PushContext push, ProxyNode proxy, int port) {
        return ListenerGenerator.generate(push, proxy).stream().filter(l -> l.getName().equals("0.0.0.0_" + port))
                .findFirst().orElseThrow(() -> new AssertionError("no listener on " + port));
    }

    private static DownstreamTlsContext tls(FilterChain chain) throws InvalidProtocolBufferException {
        return chain.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
    }

    private static DownstreamTlsContext httpsServer(String tls) throws InvalidProtocolBufferException {
        Listener https = listener(push(gatewayWith("""
                - port: {number: 443, name: https, protocol: HTTPS}
                  hosts: [httpbin.example.com]
                  tls:
                """ + tls.indent(4))), gateway(true), 8443);
        assertThat(https.getFilterChainsList()).hasSize(1);
        assertThat(https.getFilterChains(0).getFilterChainMatch().getServerNamesList())
                .containsExactly("httpbin.example.com");
        return tls(https.getFilterChains(0));
    }

    @Test
    void simpleWithACredentialServesItsCertificateFromTheControlPlaneAndAsksForNoClientCertificate()
            throws InvalidProtocolBufferException {
        DownstreamTlsContext tls = httpsServer("mode: SIMPLE\ncredentialName: httpbin-credential\n");

        CommonTlsContext common = tls.getCommonTlsContext();
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("kubernetes://httpbin-credential");
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getSdsConfig().hasAds()).isTrue();
        assertThat(common.getValidationContextTypeCase())
                .isEqualTo(CommonTlsContext.ValidationContextTypeCase.VALIDATIONCONTEXTTYPE_NOT_SET);
        assertThat(tls.hasRequireClientCertificate()).isFalse();
        assertThat(common.getAlpnProtocolsList()).containsExactly("h2", "http/1.1");
        assertThat(common.getTlsParams().getTlsMinimumProtocolVersion()).isEqualTo(TlsParameters.TlsProtocol.TLSv1_2);
        assertThat(common.getTlsParams().getTlsMaximumProtocolVersion()).isEqualTo(TlsParameters.TlsProtocol.TLSv1_3);
    }

    @Test
    void mutualRequiresAClientCertificateFromTheCredentialsCaWithTheGivenSubjectAltNames()
            throws InvalidProtocolBufferException {
        DownstreamTlsContext tls = httpsServer("""
                mode: MUTUAL
                credentialName: httpbin-credential
                subjectAltNames: [client.example.com]
                """);

        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        var validation = tls.getCommonTlsContext().getCombinedValidationContext();
        assertThat(validation.getValidationContextSdsSecretConfig().getName())
                .isEqualTo("kubernetes://httpbin-credential-cacert");
        assertThat(validation.getDefaultValidationContext().getMatchSubjectAltNamesList())
                .extracting(StringMatcher::getExact).containsExactly("client.example.com");
    }

    @Test
    void optionalMutualChecksAClientCertificateOnlyWhenOneIsSent() throws InvalidProtocolBufferException {
        DownstreamTlsContext tls = httpsServer("mode: OPTIONAL_MUTUAL\ncredentialName: httpbin-credential\n");

        assertThat(tls.getRequireClientCertificate().getValue()).isFalse();
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig()
                .getName()).isEqualTo("kubernetes://httpbin-credential-cacert");
    }

    @Test
    void caCertCredentialNameNamesTheCaSecretAndFilesStayFiles() throws InvalidProtocolBufferException {
        DownstreamTlsContext separateCa = httpsServer("""
                mode: MUTUAL
                credentialName: httpbin-credential
                caCertCredentialName: client-roots
                """);
        assertThat(separateCa.getCommonTlsContext().getCombinedValidationContext()
                .getValidationContextSdsSecretConfig().getName()).isEqualTo("kubernetes://client-roots-cacert");

        DownstreamTlsContext files = httpsServer("""
                mode: MUTUAL
                serverCertificate: /etc/certs/server.pem
                privateKey: /etc/certs/key.pem
                caCertificates: /etc/certs/ca.pem
                subjectAltNames: [client.example.com]
                """);
        CommonTlsContext common = files.getCommonTlsContext();
        assertThat(common.getTlsCertificates(0).getCertificateChain().getFilename()).isEqualTo("/etc/certs/server.pem");
        assertThat(common.getValidationContext().getTrustedCa().getFilename()).isEqualTo("/etc/certs/ca.pem");
        assertThat(common.getValidationContext().getMatchSubjectAltNamesList()).extracting(StringMatcher::getExact)
                .containsExactly("client.example.com");
    }

    @Test
    void protocolVersionsAndCipherSuitesReachTheTlsParameters() throws InvalidProtocolBufferException {
        DownstreamTlsContext tls = httpsServer("""
                mode: SIMPLE
                credentialName: httpbin-credential
                minProtocolVersion: TLSV1_3
                maxProtocolVersion: TLSV1_3
                cipherSuites: [ECDHE-RSA-AES256-GCM-SHA384]
                """);

        TlsParameters parameters = tls.getCommonTlsContext().getTlsParams();
        assertThat(parameters.getTlsMinimumProtocolVersion()).isEqualTo(TlsParameters.TlsProtocol.TLSv1_3);
        assertThat(parameters.getTlsMaximumProtocolVersion()).isEqualTo(TlsParameters.TlsProtocol.TLSv1_3);
        assertThat(parameters.getCipherSuitesList()).containsExactly("ECDHE-RSA-AES256-GCM-SHA384");
    }

    @Test
    void istioMutualUsesTheGatewaysOwnWorkloadCertificateAndTheMeshRoot() throws InvalidProtocolBufferException {
        DownstreamTlsContext tls = httpsServer("mode: ISTIO_MUTUAL\n");

        CommonTlsContext common = tls.getCommonTlsContext();
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getSdsConfig().getApiConfigSource()
                .getGrpcServices(0).getEnvoyGrpc().getClusterName()).isEqualTo("sds-grpc");
        assertThat(common.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName())
                .isEqualTo("ROOTCA");
    }

    @Test
    void istioMutualOnAGatewayWithoutAWorkloadCertificateIsNotServedAtAllNotEvenInPlainText() {
        PushContext push = push(gatewayWith("""
                - port: {number: 443, name: https, protocol: HTTPS}
                  hosts: [httpbin.example.com]
                  tls: {mode: ISTIO_MUTUAL}
                - port: {number: 80, name: http, protocol: HTTP}
                  hosts: [httpbin.example.com]
                """));

        assertThat(ListenerGenerator.generate(push, gateway(false))).extracting(Listener::getName)
                .containsExactly("0.0.0.0_8080");
    }

    @Test
    void httpsRedirectOnAServerNoVirtualServiceNamesStillRedirectsItsHosts() {
        PushContext push = push(gatewayWith("""
                - port: {number: 80, name: http, protocol: HTTP}
                  hosts: ["default/*.example.org"]
                  tls: {httpsRedirect: true}
                """));

        VirtualHost redirecting = RouteGenerator.generate(push, gateway(true)).getFirst().getVirtualHosts(0);
        assertThat(redirecting.getDomainsList()).containsExactly("*.example.org", "*.example.org:80");
        assertThat(redirecting.getRequireTls()).isEqualTo(VirtualHost.TlsRequirementType.ALL);
        assertThat(redirecting.getRoutesList()).isEmpty();
    }

    @Test
    void httpsRedirectMakesThePlainServersVirtualHostsRequireTls() {
        PushContext push = push(gatewayWith("""
                - port: {number: 80, name: http, protocol: HTTP}
                  hosts: [httpbin.example.com]
                  tls: {httpsRedirect: true}
                - port: {number: 443, name: https, protocol: HTTPS}
                  hosts: [httpbin.example.com]
                  tls: {mode: SIMPLE, credentialName: httpbin-credential}
                """));

        List<RouteConfiguration> routes = RouteGenerator.generate(push, gateway(true));
        assertThat(routes).extracting(r -> r.getName() + ":" + r.getVirtualHosts(0).getRequireTls())
                .containsExactly(RouteGenerator.gatewayRouteName(8080) + ":" + VirtualHost.TlsRequirementType.ALL,
                        RouteGenerator.gatewayRouteName(8443) + ":" + VirtualHost.TlsRequirementType.NONE);
    }

    @Test
    void simpleOnATlsServerTerminatesAndThenFollowsTheTcpRoutes() throws InvalidProtocolBufferException {
        PushContext push = push(gatewayWith("""
                - port: {number: 443, name: tls, protocol: TLS}
                  hosts: [nginx.example.com]
                  tls: {mode: SIMPLE, credentialName: nginx-credential}
                """) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: nginx, namespace: default}
                spec:
                  hosts: [nginx.example.com]
                  gateways: [mygateway]
                  tcp:
                  - route: [{destination: {host: nginx, port: {number: 443}}}]
                """);

        FilterChain chain = listener(push, gateway(true), 8443).getFilterChains(0);
        assertThat(tls(chain).getCommonTlsContext().getAlpnProtocolsList()).isEmpty();
        assertThat(chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig().unpack(TcpProxy.class).getCluster())
                .isEqualTo("outbound|443||nginx.default.svc.cluster.local");
    }

    /** Istio's east-west gateway shape: a TCP route behind ISTIO_MUTUAL takes the client sidecar's metadata first. */
    @Test
    void istioMutualOnATlsServerOffersTheMetadataExchangeBeforeItsTcpRoutes() throws InvalidProtocolBufferException {
        PushContext push = push(gatewayWith("""
                - port: {number: 443, name: tls, protocol: TLS}
                  hosts: [nginx.example.com]
                  tls: {mode: ISTIO_MUTUAL}
                """) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: nginx, namespace: default}
                spec:
                  hosts: [nginx.example.com]
                  gateways: [mygateway]
                  tcp:
                  - route: [{destination: {host: nginx, port: {number: 443}}}]
                """);

        FilterChain chain = listener(push, gateway(true), 8443).getFilterChains(0);
        assertThat(tls(chain).getCommonTlsContext().getAlpnProtocolsList())
                .containsExactly("istio-peer-exchange", "h2", "http/1.1");
        assertThat(chain.getFilters(0).getName()).isEqualTo("istio.metadata_exchange");
        assertThat(chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig().unpack(TcpProxy.class).getCluster())
                .isEqualTo("outbound|443||nginx.default.svc.cluster.local");
    }

    @Test
    void passthroughRoutesBySniOnlyVirtualServicesTheServerAdmitsAndEachNameOnce() throws Exception {
        PushContext push = push(gatewayWith("""
                - port: {number: 443, name: tls, protocol: TLS}
                  hosts: [nginx.example.com]
                  tls: {mode: PASSTHROUGH}
                """) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: nginx, namespace: default, creationTimestamp: "2024-01-01T00:00:00Z"}
                spec:
                  hosts: [nginx.example.com]
                  gateways: [mygateway]
                  tls:
                  - match: [{port: 443, sniHosts: [nginx.example.com]}]
                    route: [{destination: {host: nginx, port: {number: 443}}}]
                  - match: [{port: 8443, sniHosts: [nginx.example.com]}]
                    route: [{destination: {host: httpbin, port: {number: 8000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: nginx-again, namespace: default, creationTimestamp: "2024-02-01T00:00:00Z"}
                spec:
                  hosts: [nginx.example.com]
                  gateways: [mygateway]
                  tls:
                  - match: [{sniHosts: [nginx.example.com]}]
                    route: [{destination: {host: httpbin, port: {number: 8000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: not-admitted, namespace: default}
                spec:
                  hosts: [elsewhere.example.com]
                  gateways: [mygateway]
                  tls:
                  - match: [{sniHosts: [elsewhere.example.com]}]
                    route: [{destination: {host: httpbin, port: {number: 8000}}}]
                """);

        Listener listener = listener(push, gateway(true), 8443);
        assertThat(listener.getFilterChainsList()).hasSize(1);
        FilterChain chain = listener.getFilterChains(0);
        assertThat(chain.hasTransportSocket()).isFalse();
        assertThat(chain.getFilterChainMatch().getServerNamesList()).containsExactly("nginx.example.com");
        assertThat(chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig().unpack(TcpProxy.class).getCluster())
                .isEqualTo("outbound|443||nginx.default.svc.cluster.local");
        assertThat(listener.getListenerFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.listener.tls_inspector");
    }

    @Test
    void autoPassthroughRoutesEachServicePortAndSubsetByItsSniToAClusterWithoutTlsOfItsOwn() throws Exception {
        PushContext push = push("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: cross-network-gateway, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 15443, name: tls, protocol: TLS}
                    tls: {mode: AUTO_PASSTHROUGH}
                    hosts: ["default/httpbin.default.svc.cluster.local"]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: httpbin, namespace: default}
                spec:
                  host: httpbin
                  subsets: [{name: v1, labels: {version: v1}}]
                """);
        ProxyNode gateway = gateway(true);

        Listener listener = listener(push, gateway, 15443);
        assertThat(listener.getFilterChainsList()).extracting(c -> String.join(",",
                c.getFilterChainMatch().getServerNamesList()) + " -> "
                + c.getFilters(c.getFiltersCount() - 1).getTypedConfig().unpack(TcpProxy.class).getCluster())
                .containsExactly(
                        "outbound_.8000_._.httpbin.default.svc.cluster.local -> "
                                + "outbound_.8000_._.httpbin.default.svc.cluster.local",
                        "outbound_.8000_.v1_.httpbin.default.svc.cluster.local -> "
                                + "outbound_.8000_.v1_.httpbin.default.svc.cluster.local");
        assertThat(listener.getFilterChainsList()).noneMatch(FilterChain::hasTransportSocket);

        Map<String, Cluster> clusters = ClusterGenerator.generate(push, gateway).stream()
                .collect(Collectors.toMap(Cluster::getName, c -> c));
        Cluster sniDnat = clusters.get("outbound_.8000_.v1_.httpbin.default.svc.cluster.local");
        Cluster outbound = clusters.get("outbound|8000|v1|httpbin.default.svc.cluster.local");
        assertThat(outbound.getTransportSocketMatchesList()).as("the gateway's own calls use auto mTLS").isNotEmpty();
        assertThat(sniDnat.getTransportSocketMatchesList()).isEmpty();
        assertThat(sniDnat.hasTransportSocket()).isFalse();
        assertThat(sniDnat.getEdsClusterConfig().getServiceName()).isEqualTo(outbound.getName());
        assertThat(clusters).as("nginx is not among the server's hosts").doesNotContainKey(
                "outbound_.443_._.nginx.default.svc.cluster.local");
    }

    /** A local-runtime gateway whose ingress port another mesh holds binds the port its WEFT_LOCAL_PORTS maps it to. */
    @Test
    void aLocalGatewayBindsItsPortWhereItsLocalPortsMapIt() {
        Struct.Builder metadata = PushFixture.metadata(Map.of("istio", "ingressgateway")).toBuilder();
        metadata.putFields(ProxyNode.LOCAL_PORTS_KEY, Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("outbound", Value.newBuilder().setNumberValue(15001).build())
                .putFields("admin", Value.newBuilder().setNumberValue(15000).build())
                .putFields("workload", Value.newBuilder().setListValue(com.google.protobuf.ListValue.newBuilder()
                        .addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("port", Value.newBuilder().setNumberValue(8080).build())
                                .putFields("proxy", Value.newBuilder().setNumberValue(8081).build())
                                .putFields("app", Value.newBuilder().setNumberValue(8081).build())))).build())
                .build()).build());
        ProxyNode local = ProxyNode.fromNode(Node.newBuilder()
                .setId("router~127.0.2.1~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local")
                .setMetadata(metadata).build());
        PushContext push = push(gatewayWith("""
                - port: {number: 80, name: http, protocol: HTTP}
                  hosts: ["*"]
                """));
        Listener http = listener(push, local, 8080);
        assertThat(http.getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
        assertThat(http.getAddress().getSocketAddress().getPortValue()).isEqualTo(8081);
        assertThat(listener(push, gateway(false), 8080).getAddress().getSocketAddress().getPortValue())
                .as("without local ports: the target port itself").isEqualTo(8080);
    }
}
