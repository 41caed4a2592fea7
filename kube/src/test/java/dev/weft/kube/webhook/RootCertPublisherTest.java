package dev.weft.kube.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.kube.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every namespace gets the mesh root in istio-ca-root-cert, as Istio's namespace controller gives it. */
class RootCertPublisherTest {

    private static final String ROOT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static String published(KubernetesClient client, String namespace) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(RootCertPublisher.NAME).get();
        return map == null || map.getData() == null ? null : map.getData().get(RootCertPublisher.KEY);
    }

    private static void namespace(KubernetesClient client, String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    @Test
    void everyNamespaceButTheSystemOnesGetsTheRootAndAStaleOneIsPutRight() {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            namespace(client, "default");
            namespace(client, "kube-system");
            namespace(client, "shop");
            client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(RootCertPublisher.NAME).endMetadata().withData(Map.of(RootCertPublisher.KEY, "old"))
                    .build()).create();
            try (RootCertPublisher publisher = RootCertPublisher.start(client, ROOT, () -> true)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> ROOT.equals(published(client, "default"))
                        && ROOT.equals(published(client, "shop")));
                namespace(client, "late");
                await().atMost(Duration.ofSeconds(10)).until(() -> ROOT.equals(published(client, "late")));
                assertThat(published(client, "kube-system")).isNull();
            }
        }
    }
}
