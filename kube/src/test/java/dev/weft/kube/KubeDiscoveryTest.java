package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.kube.config.DiscoveryScope;
import dev.weft.model.kube.LabelSelector;
import dev.weft.model.load.ConfigLoader;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The mesh config's discovery selectors: only selected namespaces' Services, pods, Istio resources and Secrets reach
 * the proxies, and a namespace relabelled, or the {@code istio} ConfigMap's selectors edited, enters or leaves at once.
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

                label(client, "sandbox", "prod");
                await().atMost(Duration.ofSeconds(5)).until(() -> kube.workloads().workloads().size() == 2);
                assertThat(kube.config().snapshot().services()).extracting(r -> r.namespace())
                        .containsExactlyInAnyOrder("shop", "sandbox");
            }
        }
    }

    private static final ProxyNode SLEEP = Pushes.sidecar("sleep-0", "10.1.0.99", Map.of("app", "sleep"));

    /** What the sidecar is sent of each namespace's web: its Service, its DestinationRule's subset, its endpoints. */
    private static Set<String> served(PushPipeline pipeline) {
        Set<String> served = new TreeSet<>();
        Pushes.xds(pipeline.current(), SLEEP).forEach((key, resource) -> {
            String[] name = key.split("\\|");
            if (name.length == 4 && name[3].startsWith("web.")) {
                String namespace = name[3].split("\\.")[1];
                if (key.startsWith("CDS/")) {
                    served.add(namespace + (name[2].isEmpty() ? " service" : " subset " + name[2]));
                } else if (key.startsWith("EDS/") && name[2].isEmpty()) {
                    ((ClusterLoadAssignment) resource).getEndpointsList().forEach(l -> l.getLbEndpointsList()
                            .forEach(e -> served.add(namespace + " endpoint " + e.getEndpoint().getAddress()
                                    .getSocketAddress().getAddress())));
                }
            }
        });
        return served;
    }

    private static Set<String> everythingOf(String... namespaces) {
        Set<String> all = new TreeSet<>();
        for (String namespace : namespaces) {
            all.addAll(List.of(namespace + " service", namespace + " subset v1",
                    namespace + " endpoint " + (namespace.equals("shop") ? "10.2.0.1" : "10.2.0.2")));
        }
        return all;
    }

    private static void meshConfigMap(KubernetesClient client, String mesh) {
        client.configMaps().inNamespace("istio-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName(KubeSource.MESH_CONFIG_MAP).endMetadata().withData(Map.of(KubeSource.MESH_CONFIG_KEY, mesh))
                .build()).createOr(existing -> existing.update());
    }

    private static void label(KubernetesClient client, String namespace, String env) {
        client.namespaces().withName(namespace).edit(ns -> new NamespaceBuilder(ns).editMetadata()
                .addToLabels("env", env).endMetadata().build());
    }

    @Test
    void namespacesEnterAndLeaveTheProxiesConfigAsTheirLabelsAndTheMeshConfigMapChange() throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds().withNode();
            namespaceWithAService(client, "shop", Map.of("env", "prod"), "10.2.0.1");
            namespaceWithAService(client, "sandbox", Map.of("env", "dev"), "10.2.0.2");
            for (String namespace : List.of("shop", "sandbox")) {
                cluster.istio(namespace, """
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: {name: web}
                        spec:
                          host: web
                          subsets: [{name: v1, labels: {app: web}}]
                        """);
            }
            client.secrets().inNamespace("sandbox").resource(new SecretBuilder().withNewMetadata()
                    .withName("web-credential").endMetadata().withStringData(Map.of("cert", "CERT", "key", "KEY"))
                    .build()).create();
            DiscoveryScope prod = new DiscoveryScope(List.of(new LabelSelector(Map.of("env", "prod"), List.of())));
            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30), new StatusLeadership.Election("istio-system", "weftd-0",
                            StatusLeadership.Timing.DEFAULT), prod);
                    PushPipeline pipeline = Pushes.pipeline(kube)) {
                assertThat(served(pipeline)).isEqualTo(everythingOf("shop"));
                assertThat(kube.credentials().credentials().isEmpty()).isTrue();
                AtomicInteger configChanges = new AtomicInteger();
                AtomicInteger workloadChanges = new AtomicInteger();
                kube.config().addListener(configChanges::incrementAndGet);
                kube.workloads().addListener(workloadChanges::incrementAndGet);

                label(client, "sandbox", "prod");
                await().atMost(Duration.ofSeconds(5)).until(() -> served(pipeline).equals(everythingOf("shop",
                        "sandbox")));
                assertThat(configChanges.get()).as("the namespace's objects enter in one change").isEqualTo(1);
                assertThat(workloadChanges.get()).isEqualTo(1);
                assertThat(kube.credentials().credentials().byName()).containsOnlyKeys("sandbox/web-credential");
                label(client, "sandbox", "dev");
                await().atMost(Duration.ofSeconds(5)).until(() -> served(pipeline).equals(everythingOf("shop")));
                assertThat(kube.credentials().credentials().isEmpty()).isTrue();

                meshConfigMap(client, """
                        discoverySelectors:
                        - matchLabels: {env: dev}
                        """);
                await().atMost(Duration.ofSeconds(5)).until(() -> served(pipeline).equals(everythingOf("sandbox")));
                meshConfigMap(client, """
                        discoverySelectors:
                        - matchExpressions: [{key: env, operator: In, values: [prod, dev]}]
                        """);
                await().atMost(Duration.ofSeconds(5)).until(() -> served(pipeline).equals(everythingOf("shop",
                        "sandbox")));
                meshConfigMap(client, "discoverySelectors: not-a-list\n");
                client.namespaces().withName("shop").edit(ns -> new NamespaceBuilder(ns).editMetadata()
                        .addToLabels("team", "a").endMetadata().build());
                await().atMost(Duration.ofSeconds(5)).until(() -> kube.config().snapshot().namespaces().stream()
                        .anyMatch(ns -> ns.metadata().labels().containsKey("team")));
                assertThat(served(pipeline)).as("an invalid mesh config keeps the selectors in force")
                        .isEqualTo(everythingOf("shop", "sandbox"));

                client.configMaps().inNamespace("istio-system").withName(KubeSource.MESH_CONFIG_MAP).delete();
                await().atMost(Duration.ofSeconds(5)).alias("--mesh-config's selectors again")
                        .until(() -> served(pipeline).equals(everythingOf("shop")));
            }
        }
    }
}
