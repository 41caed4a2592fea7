package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.controlplane.debug.MeshAnalysis;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.model.load.ConfigLoader;
import dev.weft.testing.tls.TestPki;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A Gateway's {@code credentialName} is looked up in the namespace of the gateway workload it selects, as istiod looks
 * it up: two gateways naming the same credential each get their own namespace's Secret, and a Secret of another
 * namespace is neither served nor counted by {@code weft analyze}'s IST0101.
 */
class KubeGatewayCredentialsTest {

    private static final String GATEWAYS = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: %1$s-gateway}
            spec:
              selector: {istio: %1$s-gateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: SIMPLE, credentialName: web-credential}
              - port: {number: 8443, name: https-shop-only, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: SIMPLE, credentialName: shop-only}
            """;

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void tlsSecret(KubernetesClient client, String namespace, String name, TestPki.Issued issued) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .endMetadata().withType("kubernetes.io/tls").withData(Map.of("tls.crt",
                        base64(issued.certificatePem()), "tls.key", base64(issued.privateKeyPem()))).build()).create();
    }

    /** The credential secrets the gateway is sent: name to certificate chain. */
    private static Map<String, String> secrets(PushPipeline pipeline, ProxyNode gateway) {
        Map<String, String> chains = new TreeMap<>();
        XdsResources.secrets(pipeline.current(), gateway).forEach((name, secret) -> chains.put(name,
                ((Secret) secret).getTlsCertificate().getCertificateChain().getInlineString()));
        return chains;
    }

    @Test
    void eachGatewayGetsTheSecretOfItsOwnNamespaceAndNoOther() throws Exception {
        TestPki pki = TestPki.create("gateway-ca");
        TestPki.Issued shopCertificate = pki.issue("shop.example.com", "web.example.com");
        TestPki.Issued blogCertificate = pki.issue("blog.example.com", "web.example.com");
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds().withNode();
            int ip = 1;
            for (String namespace : List.of("shop", "blog")) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                        .endMetadata().build()).create();
                cluster.servedPod(namespace, namespace + "-gateway", "10.3.0." + ip++,
                        Map.of("istio", namespace + "-gateway"));
                cluster.istio(GATEWAYS.formatted(namespace));
            }
            tlsSecret(client, "shop", "web-credential", shopCertificate);
            tlsSecret(client, "blog", "web-credential", blogCertificate);
            tlsSecret(client, "shop", "shop-only", shopCertificate);
            cluster.istio("""
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: web}
                    spec:
                      hosts: [web.example.com]
                      gateways: [shop-gateway, blog-gateway]
                      http:
                      - route: [{destination: {host: shop-gateway.shop.svc.cluster.local}}]
                    """);
            ProxyNode shop = Pushes.gateway("shop-gateway-0", "shop", "10.3.0.1", Map.of("istio", "shop-gateway"));
            ProxyNode blog = Pushes.gateway("blog-gateway-0", "blog", "10.3.0.2", Map.of("istio", "blog-gateway"));

            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30)); PushPipeline pipeline = Pushes.pipeline(kube)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> secrets(pipeline, shop).size() == 2);
                assertThat(secrets(pipeline, shop)).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "kubernetes://web-credential", shopCertificate.certificatePem(),
                        "kubernetes://shop-only", shopCertificate.certificatePem()));
                assertThat(secrets(pipeline, blog)).as("shop-only is shop's: the blog gateway's chain waits")
                        .containsExactlyEntriesOf(Map.of("kubernetes://web-credential",
                                blogCertificate.certificatePem()));

                // weft analyze against the cluster reads the credentials as AnalyzeCommand gives them.
                JsonNode messages = new MeshAnalysis(kube.config(), kube.workloads()::workloads,
                        () -> kube.credentials().credentials().byName().keySet(), Pushes.DOMAIN)
                        .analyze(List.of(), "default").path("messages");
                assertThat(StreamSupport.stream(messages.spliterator(), false)
                        .filter(m -> m.path("code").asText().equals("IST0101"))
                        .map(m -> m.path("resource").asText() + ": " + m.path("text").asText()))
                        .containsExactly("Gateway default/blog-gateway: Referenced credentialName not found:"
                                + " \"shop-only\"");
            }
        }
    }
}
