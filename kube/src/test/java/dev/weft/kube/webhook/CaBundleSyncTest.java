package dev.weft.kube.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.ca.CertificateAuthority;
import dev.weft.kube.MockApiServer;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook configurations' caBundle follows weftd's root, against fabric8's mock API server in CRUD mode. */
class CaBundleSyncTest {

    private static final String INJECTOR = "istio-sidecar-injector";
    private static final String VALIDATOR = "istio-validator-istio-system";

    @TempDir
    Path data;

    @Test
    void everyWebhookOfBothConfigurationsGetsWeftdsRootAndKeepsIt() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(Optional.empty(), data, "cluster.local",
                Clock.systemUTC());
        String bundle = Base64.getEncoder().encodeToString(ca.rootPem().getBytes(StandardCharsets.UTF_8));
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            var admission = client.admissionRegistration().v1();
            admission.mutatingWebhookConfigurations().resource(injector("c3RhbGU=")).create();
            admission.mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder(
                    injector("c3RhbGU=")).editMetadata().withName("someone-elses").endMetadata().build()).create();

            try (CaBundleSync sync = CaBundleSync.start(client, ca.rootPem(), INJECTOR, VALIDATOR, () -> true)) {
                assertThat(sync.caBundle()).isEqualTo(bundle);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        admission.mutatingWebhookConfigurations().withName(INJECTOR).get().getWebhooks())
                        .extracting(w -> w.getClientConfig().getCaBundle()).containsExactly(bundle, bundle));

                // Installed after weftd started.
                admission.validatingWebhookConfigurations().resource(validator()).create();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        admission.validatingWebhookConfigurations().withName(VALIDATOR).get().getWebhooks())
                        .extracting(w -> w.getClientConfig().getCaBundle()).containsExactly(bundle));

                // Edited back (an install applied again) is put right again.
                admission.mutatingWebhookConfigurations().withName(INJECTOR).edit(c -> {
                    c.getWebhooks().getFirst().getClientConfig().setCaBundle("c3RhbGU=");
                    return c;
                });
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        admission.mutatingWebhookConfigurations().withName(INJECTOR).get().getWebhooks())
                        .extracting(w -> w.getClientConfig().getCaBundle()).containsExactly(bundle, bundle));
            }
            assertThat(admission.mutatingWebhookConfigurations().withName("someone-elses").get().getWebhooks()
                    .getFirst().getClientConfig().getCaBundle()).as("another configuration is not touched")
                    .isEqualTo("c3RhbGU=");
        }
    }

    private static MutatingWebhookConfiguration injector(String caBundle) {
        return new MutatingWebhookConfigurationBuilder().withNewMetadata().withName(INJECTOR).endMetadata()
                .withWebhooks(List.of(mutating("rev.namespace.sidecar-injector.istio.io", caBundle),
                        mutating("rev.object.sidecar-injector.istio.io", caBundle)))
                .build();
    }

    private static MutatingWebhook mutating(String name, String caBundle) {
        return new io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder().withName(name)
                .withNewClientConfig().withCaBundle(caBundle).withNewService().withName("istiod")
                .withNamespace("istio-system").withPath("/inject").withPort(443).endService().endClientConfig()
                .withAdmissionReviewVersions("v1").withSideEffects("None").build();
    }

    private static ValidatingWebhookConfiguration validator() {
        ValidatingWebhook webhook = new io.fabric8.kubernetes.api.model.admissionregistration.v1
                .ValidatingWebhookBuilder().withName("rev.validation.istio.io").withNewClientConfig()
                .withNewService().withName("istiod").withNamespace("istio-system").withPath("/validate")
                .withPort(443).endService().endClientConfig().withAdmissionReviewVersions("v1")
                .withSideEffects("None").build();
        return new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(VALIDATOR).endMetadata()
                .withWebhooks(webhook).build();
    }
}
