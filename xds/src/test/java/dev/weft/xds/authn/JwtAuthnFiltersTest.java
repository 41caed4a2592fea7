package dev.weft.xds.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.weft.proxy.config.Ticker;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.jwt.JwtAuthnFilterParser;
import dev.weft.proxy.stats.Stats;
import dev.weft.xds.PushFixture;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RequestAuthentication to jwt_authn as Istio generates it, for Istio's "JWT authentication" task policy
 * ({@code jwksUri} of the sample keys, fetched by the control plane and inlined): on the selected workload's
 * inbound HTTP chains and on a selected ingress gateway's connection managers, first of the HTTP filters.
 */
class JwtAuthnFiltersTest {

    private static final String SAMPLE_JWKS_URI =
            "https://raw.githubusercontent.com/istio/istio/master/security/tools/jwt/samples/jwks.json";
    private static final String SAMPLE_KEYS = "{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"kid\":\"k\",\"n\":\"xAE7\"}]}";

    private static final String MESH = """
            apiVersion: v1
            kind: Service
            metadata: { name: httpbin, namespace: foo }
            spec:
              selector: { app: httpbin }
              ports: [ { name: http, port: 8000, targetPort: 80 } ]
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: { name: httpbin-1, namespace: foo }
            spec: { address: 10.0.0.5, labels: { app: httpbin } }
            ---
            apiVersion: v1
            kind: Service
            metadata: { name: istio-ingressgateway, namespace: istio-system }
            spec:
              selector: { istio: ingressgateway }
              ports: [ { name: http2, port: 80, targetPort: 8080 } ]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: { name: httpbin-gateway, namespace: foo }
            spec:
              selector: { istio: ingressgateway }
              servers: [ { port: { number: 80, name: http, protocol: HTTP }, hosts: [ "*" ] } ]
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: { name: jwt-example, namespace: foo }
            spec:
              selector: { matchLabels: { app: httpbin } }
              jwtRules:
              - issuer: "testing@secure.istio.io"
                jwksUri: "%s"
            """.formatted(SAMPLE_JWKS_URI);

    private final List<String> resolved = new ArrayList<>();
    private final JwksResolver resolver = (issuer, uri, timeout) -> {
        resolved.add(issuer + " " + uri + " " + timeout);
        return SAMPLE_KEYS;
    };

    private PushContext push(String extra) {
        return push(extra, resolver);
    }

    private static PushContext push(String extra, JwksResolver jwks) {
        return PushFixture.push(MESH + extra, MeshSettings.DEFAULT, jwks);
    }

    private static ProxyNode node(String type, String ip, String pod, String namespace, String label, String value) {
        return PushFixture.node(type + "~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local",
                Map.of(label, value));
    }

    private static ProxyNode httpbin() {
        return node("sidecar", "10.0.0.5", "httpbin-1", "foo", "app", "httpbin");
    }

    private static List<HttpFilter> inboundHttpFilters(PushContext push, ProxyNode proxy) throws Exception {
        Listener inbound = (Listener) XdsResources.listeners(push, proxy).get("virtualInbound");
        var chain = inbound.getFilterChainsList().stream().filter(c -> c.getName().equals("inbound|80||"))
                .findFirst().orElseThrow();
        List<HttpFilter> all = chain.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class)
                .getHttpFiltersList();
        assertThat(all.getFirst().getName()).as("Istio's stats filter comes first").isEqualTo("istio.stats");
        return all.subList(1, all.size());
    }

    private static JwtAuthentication jwt(HttpFilter filter) throws Exception {
        assertThat(filter.getName()).isEqualTo("envoy.filters.http.jwt_authn");
        return filter.getTypedConfig().unpack(JwtAuthentication.class);
    }

    @Test
    void theTaskPolicyBecomesOneProviderWithInlinedKeysFirstInTheInboundChain() throws Exception {
        List<HttpFilter> filters = inboundHttpFilters(push(""), httpbin());
        assertThat(filters).extracting(HttpFilter::getName).containsExactly("envoy.filters.http.jwt_authn",
                "envoy.filters.http.fault", "envoy.filters.http.cors", "envoy.filters.http.router");
        JwtAuthentication config = jwt(filters.getFirst());
        assertThat(config.getBypassCorsPreflight()).isTrue();
        assertThat(config.getProvidersMap()).containsOnlyKeys("origins-0");
        var provider = config.getProvidersOrThrow("origins-0");
        assertThat(provider.getIssuer()).isEqualTo("testing@secure.istio.io");
        assertThat(provider.getLocalJwks().getInlineString()).isEqualTo(SAMPLE_KEYS);
        assertThat(provider.getForward()).isFalse();
        assertThat(provider.getPayloadInMetadata()).isEqualTo("payload");
        assertThat(provider.getNormalizePayloadInMetadata().getSpaceDelimitedClaimsList())
                .containsExactly("permission", "scope");
        assertThat(provider.getFromHeadersCount() + provider.getFromParamsCount()).as("Envoy's default locations")
                .isZero();
        assertThat(resolved).containsExactly("testing@secure.istio.io " + SAMPLE_JWKS_URI + " PT5S");
        assertThat(config.getRulesCount()).isEqualTo(1);
        assertThat(config.getRules(0).getMatch().getPrefix()).isEqualTo("/");
        assertThat(config.getRules(0).getRequires()).isEqualTo(anyOf(provider("origins-0"), allowMissing()));

        // weft-proxy takes it as it comes.
        JwtAuthnFilterParser.parser().parse(Any.pack(config),
                new FilterContext(Ticker.SYSTEM, SplittableRandom::new, new Stats(), "inbound"));
    }

    @Test
    void severalRulesAreSortedByIssuerAndAnInvalidTokenFailsWhicheverProviderItIsFor() throws Exception {
        PushContext push = push("""
                ---
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: { name: second, namespace: foo }
                spec:
                  jwtRules:
                  - issuer: "a-issuer"
                    jwks: '{"keys":[]}'
                    fromHeaders: [ { name: x-jwt, prefix: "Token " } ]
                    fromParams: [ token ]
                    forwardOriginalToken: true
                    outputPayloadToHeader: x-payload
                    outputClaimToHeaders: [ { header: x-sub, claim: sub } ]
                    spaceDelimitedClaims: [ roles ]
                    timeout: 2s
                """);
        JwtAuthentication config = jwt(inboundHttpFilters(push, httpbin()).getFirst());
        var first = config.getProvidersOrThrow("origins-0");
        assertThat(first.getIssuer()).isEqualTo("a-issuer");
        assertThat(first.getLocalJwks().getInlineString()).as("inline jwks is used as is").isEqualTo("{\"keys\":[]}");
        assertThat(first.getFromHeaders(0).getName()).isEqualTo("x-jwt");
        assertThat(first.getFromHeaders(0).getValuePrefix()).isEqualTo("Token ");
        assertThat(first.getFromParamsList()).containsExactly("token");
        assertThat(first.getForward()).isTrue();
        assertThat(first.getForwardPayloadHeader()).isEqualTo("x-payload");
        assertThat(first.getClaimToHeaders(0).getHeaderName()).isEqualTo("x-sub");
        assertThat(first.getNormalizePayloadInMetadata().getSpaceDelimitedClaimsList())
                .containsExactly("permission", "roles", "scope");
        assertThat(config.getProvidersOrThrow("origins-1").getIssuer()).isEqualTo("testing@secure.istio.io");
        assertThat(config.getRules(0).getRequires()).isEqualTo(anyOf(provider("origins-0"), provider("origins-1"),
                JwtRequirement.newBuilder().setRequiresAll(
                        io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementAndList.newBuilder()
                                .addRequirements(anyOf(provider("origins-0"), allowMissing()))
                                .addRequirements(anyOf(provider("origins-1"), allowMissing()))).build()));
    }

    @Test
    void aWorkloadNoPolicySelectsGetsNoFilterAndAnUnfetchedUriFailsClosed() throws Exception {
        PushContext push = push("");
        ProxyNode other = node("sidecar", "10.0.0.6", "sleep-1", "foo", "app", "sleep");
        assertThat(JwtAuthnFilters.forWorkload(push, other)).isEmpty();

        JwtAuthentication config = jwt(JwtAuthnFilters.forWorkload(push("", JwksResolver.UNRESOLVED), httpbin())
                .getFirst());
        assertThat(config.getProvidersOrThrow("origins-0").getLocalJwks().getInlineString())
                .isEqualTo(JwksResolver.failClosed(SAMPLE_JWKS_URI)).contains("\"kty\":\"RSA\"");
    }

    @Test
    void aSelectedIngressGatewayChecksTokensOnItsConnectionManager() throws Exception {
        PushContext push = push("""
                ---
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: { name: ingress, namespace: istio-system }
                spec:
                  selector: { matchLabels: { istio: ingressgateway } }
                  jwtRules: [ { issuer: "testing@secure.istio.io", jwksUri: "%s" } ]
                """.formatted(SAMPLE_JWKS_URI));
        ProxyNode gateway = node("router", "10.0.9.1", "istio-ingressgateway-1", "istio-system", "istio",
                "ingressgateway");
        Listener listener = (Listener) XdsResources.listeners(push, gateway).get("0.0.0.0_8080");
        List<HttpFilter> filters = listener.getFilterChains(0).getFilters(0).getTypedConfig()
                .unpack(HttpConnectionManager.class).getHttpFiltersList();
        assertThat(filters.get(0).getName()).as("the gateway reports Istio's metrics").isEqualTo("istio.stats");
        assertThat(jwt(filters.get(1)).getProvidersOrThrow("origins-0").getIssuer())
                .isEqualTo("testing@secure.istio.io");
    }

    private static JwtRequirement provider(String name) {
        return JwtRequirement.newBuilder().setProviderName(name).build();
    }

    private static JwtRequirement allowMissing() {
        return JwtRequirement.newBuilder().setAllowMissing(com.google.protobuf.Empty.getDefaultInstance()).build();
    }

    private static JwtRequirement anyOf(JwtRequirement... requirements) {
        return JwtRequirement.newBuilder().setRequiresAny(
                io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementOrList.newBuilder()
                        .addAllRequirements(List.of(requirements))).build();
    }
}
