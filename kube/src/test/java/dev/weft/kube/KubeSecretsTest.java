package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.model.load.ConfigLoader;
import dev.weft.testing.tls.TestPki;
import dev.weft.xds.secret.Credential;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A cluster's Secrets in Istio's TLS formats are the credentials Gateways name, kept as the Secrets change. */
class KubeSecretsTest {

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tlsAndGenericSecretsAreCredentialsAndOtherSecretsAreNot() throws Exception {
        TestPki pki = TestPki.create("gateway-ca");
        TestPki.Issued httpbin = pki.issue("httpbin.example.com", "httpbin.example.com");
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            client.secrets().inNamespace("istio-system").resource(new SecretBuilder().withNewMetadata()
                    .withName("httpbin-credential").endMetadata().withType("kubernetes.io/tls")
                    .withData(Map.of("tls.crt", base64(httpbin.certificatePem()), "tls.key",
                            base64(httpbin.privateKeyPem()))).build()).create();
            client.secrets().inNamespace("istio-system").resource(new SecretBuilder().withNewMetadata()
                    .withName("istio-token").endMetadata().withType("kubernetes.io/service-account-token")
                    .withData(Map.of("token", base64("eyJhbGciOi"))).build()).create();
            KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30));
            try {
                AtomicInteger changes = new AtomicInteger();
                kube.credentials().addListener(changes::incrementAndGet);
                Credential credential = kube.credentials().credentials().find("istio-system", "httpbin-credential").orElseThrow();
                assertThat(credential.certificateChain()).isEqualTo(httpbin.certificatePem());
                assertThat(credential.privateKey()).isEqualTo(httpbin.privateKeyPem());
                assertThat(credential.hasCa()).isFalse();
                assertThat(kube.credentials().credentials().byName()).containsOnlyKeys("istio-system/httpbin-credential");

                client.secrets().inNamespace("istio-system").resource(new SecretBuilder().withNewMetadata()
                        .withName("httpbin-credential-cacert").endMetadata()
                        .withStringData(Map.of("cacert", pki.caPem())).build()).create();
                await().atMost(Duration.ofSeconds(5)).until(() -> kube.credentials().credentials()
                        .find("istio-system", "httpbin-credential-cacert").map(Credential::caCertificates).orElse("")
                        .equals(pki.caPem()));
                assertThat(changes.get()).isEqualTo(1);

                client.secrets().inNamespace("istio-system").withName("httpbin-credential").delete();
                await().atMost(Duration.ofSeconds(5)).until(() -> kube.credentials().credentials()
                        .find("istio-system", "httpbin-credential").isEmpty());
                assertThat(changes.get()).isEqualTo(2);
            } finally {
                kube.close();
            }
        }
    }
}
