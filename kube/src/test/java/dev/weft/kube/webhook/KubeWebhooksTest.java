package dev.weft.kube.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.kube.MockApiServer;
import dev.weft.kube.inject.InjectionSettings;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhooks as weftd-kube starts them: their certificate chains to the root weftd keeps in its data directory,
 * which is also the caBundle given to the API server, so a client trusting that bundle alone reaches them.
 */
class KubeWebhooksTest {

    @TempDir
    Path data;

    @Test
    void servedWithACertificateFromTheRootInWeftdsDataDirectoryWhichTheBundleCarries() throws Exception {
        WeftdOptions options = WeftdOptions.defaults().withDataDir(data).withBindAddress("127.0.0.1")
                .withPorts(0, 0);
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client();
                KubeWebhooks webhooks = KubeWebhooks.start(client, options, new KubeWebhooks.Settings(0,
                        InjectionSettings.defaults("weft:test"), "istio-sidecar-injector", "weft-validator"), () -> true);
                Weftd weftd = Weftd.start(options)) {
            String root = Files.readString(data.resolve(Weftd.ROOT_CERT_FILE));
            client.admissionRegistration().v1().validatingWebhookConfigurations().resource(
                    new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName("weft-validator")
                            .endMetadata().addNewWebhook().withName("validation.istio.io").withNewClientConfig()
                            .withUrl("https://127.0.0.1:" + webhooks.port() + "/validate").endClientConfig()
                            .withSideEffects("None").withAdmissionReviewVersions("v1").endWebhook().build())
                    .create();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.admissionRegistration().v1()
                    .validatingWebhookConfigurations().withName("weft-validator").get().getWebhooks().getFirst()
                    .getClientConfig().getCaBundle() != null);
            String bundle = client.admissionRegistration().v1().validatingWebhookConfigurations()
                    .withName("weft-validator").get().getWebhooks().getFirst().getClientConfig().getCaBundle();
            assertThat(new String(Base64.getDecoder().decode(bundle), StandardCharsets.UTF_8)).isEqualTo(root);

            String review = """
                    {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u1",
                     "operation": "CREATE", "namespace": "default", "object": {"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "x"}}}}""";
            HttpResponse<String> response = Trusting.root(new String(Base64.getDecoder().decode(bundle),
                    StandardCharsets.UTF_8)).send(HttpRequest.newBuilder(URI.create("https://localhost:"
                    + webhooks.port() + "/validate")).POST(HttpRequest.BodyPublishers.ofString(review)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(response.body()).path("response").path("allowed").asBoolean())
                    .isTrue();
        }
    }
}
