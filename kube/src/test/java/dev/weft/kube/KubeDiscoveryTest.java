package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.kube.config.DiscoveryScope;
import dev.weft.model.kube.LabelSelector;
import dev.weft.model.load.ConfigLoader;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mesh config's discovery selectors: only selected namespaces' Services and pods reach the registry, and a
 * namespace that gains the label joins at once.
 */
class KubeDiscoveryTest {

    private static void namespaceWithAService(KubernetesClient client, String namespace, Map<String, String> labels,
            String ip) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).withLabels(labels)
                .endMetadata().build()).create();
        new KubeCluster(client).servedPod(namespace, "web", ip, Map.of("app", "web"));
    }

    @Test
    void onlySelectedNamespacesContributeServicesAndWorkloads() throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            new KubeCluster(client).withNode();
            namespaceWithAService(client, "shop", Map.of("env", "prod"), "10.2.0.1");
            namespaceWithAService(client, "sandbox", Map.of("env", "dev"), "10.2.0.2");
            DiscoveryScope prod = new DiscoveryScope(List.of(new LabelSelector(Map.of("env", "prod"), List.of())));
            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30), new StatusLeadership.Election("istio-system", "weftd-0",
                            StatusLeadership.Timing.DEFAULT), prod)) {
                assertThat(kube.config().snapshot().services()).extracting(r -> r.namespace())
                        .containsExactly("shop");
                assertThat(kube.workloads().workloads()).extracting(w -> w.namespace()).containsExactly("shop");

                client.namespaces().withName("sandbox").edit(ns -> new NamespaceBuilder(ns).editMetadata()
                        .addToLabels("env", "prod").endMetadata().build());
                await().atMost(Duration.ofSeconds(5)).until(() -> kube.workloads().workloads().size() == 2);
                assertThat(kube.config().snapshot().services()).extracting(r -> r.namespace())
                        .containsExactlyInAnyOrder("shop", "sandbox");
            }
        }
    }
}
