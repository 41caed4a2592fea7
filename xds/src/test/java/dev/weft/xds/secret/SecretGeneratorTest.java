package dev.weft.xds.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weft.xds.PushFixture;
import dev.weft.xds.authn.JwksResolver;
import dev.weft.xds.cluster.ClusterGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SDS from the control plane: a proxy gets the credential secrets its own listeners and clusters name, in
 * Istio's layouts (a credential's {@code ca.crt}, or a separate {@code <name>-cacert} credential), and no others.
 */
class SecretGeneratorTest {

    private static final String CONFIG = """
            apiVersion: v1
            kind: Service
            metadata: {name: istio-ingressgateway, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              ports: [{name: https, port: 443, targetPort: 8443}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: mygateway, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [httpbin.example.com]
                tls: {mode: MUTUAL, credentialName: httpbin-credential}
              - port: {number: 443, name: https-helloworld, protocol: HTTPS}
                hosts: [helloworld.example.com]
                tls: {mode: MUTUAL, credentialName: helloworld-credential}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: httpbin, namespace: default}
            spec:
              hosts: [httpbin.example.com, helloworld.example.com]
              gateways: [mygateway]
              http:
              - route: [{destination: {host: httpbin.default.svc.cluster.local, port: {number: 8000}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: mtls-server, namespace: default}
            spec:
              hosts: [my-nginx.mesh-external.svc.cluster.local]
              ports: [{number: 443, name: tls, protocol: TLS}]
              resolution: DNS
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: originate-mtls, namespace: default}
            spec:
              host: my-nginx.mesh-external.svc.cluster.local
              trafficPolicy:
                tls: {mode: MUTUAL, credentialName: client-credential, sni: my-nginx.mesh-external.svc.cluster.local}
            """;

    private static final Credentials CREDENTIALS = new Credentials(Map.of(
            "httpbin-credential", new Credential("HTTPBIN CERT", "HTTPBIN KEY", "CLIENT CA"),
            "helloworld-credential", new Credential("HELLO CERT", "HELLO KEY", ""),
            "helloworld-credential-cacert", new Credential("", "", "HELLO CLIENT CA"),
            "client-credential", new Credential("CLIENT CERT", "CLIENT KEY", "NGINX CA"),
            "unused-credential", new Credential("UNUSED CERT", "UNUSED KEY", "")));

    private static PushContext push(Credentials credentials) {
        return PushFixture.push(CONFIG, MeshSettings.DEFAULT, JwksResolver.UNRESOLVED, credentials);
    }

    private static ProxyNode proxy(String id, String label, String value) {
        return PushFixture.node(id, Map.of(label, value));
    }

    private static final ProxyNode GATEWAY = proxy(
            "router~10.0.9.1~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local", "istio",
            "ingressgateway");
    private static final ProxyNode EGRESS = proxy(
            "router~10.0.9.2~istio-egressgateway-1.istio-system~istio-system.svc.cluster.local", "istio",
            "egressgateway");
    private static final ProxyNode SLEEP = proxy("sidecar~10.0.0.7~sleep-1.default~default.svc.cluster.local", "app",
            "sleep");

    @Test
    void aGatewayGetsTheCertificatesAndCasOfItsServersInBothOfIstiosCaLayouts() {
        List<Secret> secrets = SecretGenerator.generate(push(CREDENTIALS), GATEWAY);

        // The DestinationRule's client credential too: a gateway's clusters originate TLS with it (Istio's egress
        // gateway origination), whichever gateway it is.
        assertThat(secrets).extracting(Secret::getName).containsExactly(
                "kubernetes://client-credential", "kubernetes://client-credential-cacert",
                "kubernetes://helloworld-credential", "kubernetes://helloworld-credential-cacert",
                "kubernetes://httpbin-credential", "kubernetes://httpbin-credential-cacert");
        assertThat(secrets.get(4).getTlsCertificate().getCertificateChain().getInlineString()).isEqualTo("HTTPBIN CERT");
        assertThat(secrets.get(4).getTlsCertificate().getPrivateKey().getInlineString()).isEqualTo("HTTPBIN KEY");
        assertThat(secrets.get(5).getValidationContext().getTrustedCa().getInlineString()).isEqualTo("CLIENT CA");
        assertThat(secrets.get(3).getValidationContext().getTrustedCa().getInlineString())
                .as("no ca.crt in the credential itself: the <name>-cacert credential's").isEqualTo("HELLO CLIENT CA");
    }

    @Test
    void anEgressGatewayOriginatingMutualTlsGetsItsClientCertificateAndNothingElse() throws Exception {
        PushContext push = push(CREDENTIALS);
        UpstreamTlsContext tls = nginxTls(push, EGRESS);
        assertThat(tls.getSni()).isEqualTo("my-nginx.mesh-external.svc.cluster.local");
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
                .isEqualTo("kubernetes://client-credential");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig()
                .getName()).isEqualTo("kubernetes://client-credential-cacert");

        assertThat(SecretGenerator.generate(push, EGRESS)).extracting(Secret::getName).containsExactly(
                "kubernetes://client-credential", "kubernetes://client-credential-cacert");
    }

    /** Istio honours a sidecar's credentialName only from a DestinationRule with a workloadSelector. */
    @Test
    void aSidecarIgnoresTheCredentialNameOfADestinationRuleWithoutSelector() throws Exception {
        PushContext push = push(CREDENTIALS);
        UpstreamTlsContext tls = nginxTls(push, SLEEP);

        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigsList()).isEmpty();
        assertThat(tls.getCommonTlsContext().hasCombinedValidationContext()).isFalse();
        assertThat(SecretGenerator.generate(push, SLEEP)).isEmpty();
    }

    private static UpstreamTlsContext nginxTls(PushContext push, ProxyNode proxy) throws Exception {
        Cluster nginx = ClusterGenerator.generate(push, proxy).stream()
                .filter(c -> c.getName().equals("outbound|443||my-nginx.mesh-external.svc.cluster.local"))
                .findFirst().orElseThrow();
        return nginx.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    }

    @Test
    void aGatewayIsGivenTheCredentialOfItsOwnNamespaceNeverAnothers() {
        String gateway = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: %1$s-gateway, namespace: %1$s}
                spec:
                  selector: {istio: %1$s-gateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: [web.example.com]
                    tls: {mode: SIMPLE, credentialName: web-credential}
                  - port: {number: 8443, name: https-own, protocol: HTTPS}
                    hosts: [web.example.com]
                    tls: {mode: SIMPLE, credentialName: %1$s/spelled-out}
                  - port: {number: 9443, name: https-shops, protocol: HTTPS}
                    hosts: [web.example.com]
                    tls: {mode: SIMPLE, credentialName: shop/web-credential}
                ---
                """;
        String config = gateway.formatted("shop") + gateway.formatted("blog") + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web, namespace: default}
                spec:
                  hosts: [web.example.com]
                  gateways: [shop/shop-gateway, blog/blog-gateway]
                  http:
                  - route: [{destination: {host: web.default.svc.cluster.local}}]
                """;
        PushContext push = PushFixture.push(config, MeshSettings.DEFAULT, JwksResolver.UNRESOLVED, new Credentials(
                Map.of(Credentials.key("shop", "web-credential"), new Credential("SHOP CERT", "SHOP KEY", ""),
                        Credentials.key("blog", "web-credential"), new Credential("BLOG CERT", "BLOG KEY", ""),
                        Credentials.key("blog", "spelled-out"), new Credential("OWN CERT", "OWN KEY", ""),
                        "web-credential", new Credential("MESH-WIDE CERT", "MESH-WIDE KEY", ""))));
        ProxyNode shop = proxy("router~10.0.9.3~shop-gateway-1.shop~shop.svc.cluster.local", "istio", "shop-gateway");
        ProxyNode blog = proxy("router~10.0.9.4~blog-gateway-1.blog~blog.svc.cluster.local", "istio", "blog-gateway");
        ProxyNode elsewhere = proxy("router~10.0.9.5~shop-gateway-2.elsewhere~elsewhere.svc.cluster.local", "istio",
                "shop-gateway");

        assertThat(SecretGenerator.generate(push, shop))
                .extracting(Secret::getName, x -> x.getTlsCertificate().getCertificateChain().getInlineString())
                .containsExactly(tuple("kubernetes://shop/web-credential", "SHOP CERT"),
                        tuple("kubernetes://web-credential", "SHOP CERT"));
        assertThat(SecretGenerator.generate(push, blog))
                .extracting(Secret::getName, x -> x.getTlsCertificate().getCertificateChain().getInlineString())
                .as("shop/web-credential names another namespace: never served")
                .containsExactly(tuple("kubernetes://blog/spelled-out", "OWN CERT"),
                        tuple("kubernetes://web-credential", "BLOG CERT"));
        assertThat(SecretGenerator.generate(push, elsewhere)).as("no Secret of its namespace: the mesh-wide one")
                .extracting(Secret::getName, x -> x.getTlsCertificate().getCertificateChain().getInlineString())
                .containsExactly(tuple("kubernetes://web-credential", "MESH-WIDE CERT"));
    }

    @Test
    void aNameTheCredentialsDoNotHoldIsLeftOutSoTheProxyKeepsWaitingForIt() {
        Credentials onlyHttpbin = new Credentials(Map.of(
                "httpbin-credential", new Credential("HTTPBIN CERT", "HTTPBIN KEY", "")));

        assertThat(SecretGenerator.generate(push(onlyHttpbin), GATEWAY)).extracting(Secret::getName)
                .containsExactly("kubernetes://httpbin-credential");
        assertThat(SecretGenerator.generate(push(Credentials.NONE), GATEWAY)).isEmpty();
    }
}
