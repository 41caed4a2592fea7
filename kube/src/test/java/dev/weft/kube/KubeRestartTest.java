package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.load.ConfigLoader;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.push.PushContext;
import dev.weft.kube.config.IstioKinds;
import dev.weft.model.Kind;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The API server going away and coming back: weftd keeps its config, and the relist pushes nothing. */
class KubeRestartTest {

    @Test
    void aRestartedApiServerLosesNoConfigAndItsRelistOfUnchangedObjectsPushesNothing() throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds().withNode().withBookinfo()
                    .apply(KubeCluster.DESTINATION_RULES);
            cluster.istio(KubeBookinfoTest.REVIEWS_80_20);
            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30)); PushPipeline pipeline = Pushes.pipeline(kube.config(), kube.workloads())) {
                ConfigSnapshot config = kube.config().snapshot();
                List<WorkloadInstance> workloads = kube.workloads().workloads();
                PushContext served = pipeline.current();
                AtomicInteger configChanges = new AtomicInteger();
                AtomicInteger workloadChanges = new AtomicInteger();
                kube.config().addListener(configChanges::incrementAndGet);
                kube.workloads().addListener(workloadChanges::incrementAndGet);

                api.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> !kube.watching());
                assertThat(kube.config().snapshot()).as("kept while the API server is away").isSameAs(config);
                assertThat(kube.workloads().workloads()).isSameAs(workloads);

                api.restart();
                // What came back differs only in resourceVersion and status: the informers see every object again,
                // relisted or watched, with nothing in it that weftd serves changed.
                touchStatuses(client);
                await().atMost(Duration.ofSeconds(60)).until(kube::watching);
                // One new object per informer touched: once each is seen, so were the objects touched before it.
                client.services().resource(new ServiceBuilder().withNewMetadata().withName("canary")
                        .withNamespace(KubeCluster.NAMESPACE).endMetadata().withNewSpec().addNewPort().withName("http")
                        .withPort(8080).endPort().endSpec().build()).create();
                cluster.istio(KubeBookinfoTest.REVIEWS_80_20.replace("name: reviews,", "name: canary,")
                        .replace("hosts: [reviews]", "hosts: [canary]"));
                cluster.pod(cluster.deployment("ratings-v1"), "ratings-v1-1", true);
                cluster.syncSlices();
                await().atMost(Duration.ofSeconds(5)).until(() -> kube.config().snapshot().all().size()
                        == config.all().size() + 2 && kube.workloads().workloads().size() == workloads.size() + 1);

                assertThat(kube.config().snapshot().all()).containsAll(config.all());
                assertThat(kube.workloads().workloads()).containsAll(workloads);
                assertThat(configChanges).as("the Service and the VirtualService created, nothing relisted")
                        .hasValue(2);
                assertThat(workloadChanges).as("the new pod's endpoint, nothing relisted").hasValue(1);
                await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.current() != served);
            }
        }
    }

    /** A new resourceVersion for the Services, the VirtualService, the pods and the node, with only status changed. */
    private static void touchStatuses(KubernetesClient client) {
        client.services().inNamespace(KubeCluster.NAMESPACE).list().getItems().forEach(service -> client.services()
                .resource(service).editStatus(s -> {
                    s.setStatus(new ServiceStatusBuilder().withNewLoadBalancer().addNewIngress().withIp("192.0.2.1")
                            .endIngress().endLoadBalancer().build());
                    return s;
                }));
        client.genericKubernetesResources(IstioKinds.context(Kind.VIRTUAL_SERVICE, "v1beta1"))
                .inNamespace(KubeCluster.NAMESPACE).withName("reviews").editStatus(vs -> {
                    vs.setAdditionalProperty("status", Map.of("observedGeneration", 1));
                    return vs;
                });
        client.pods().inNamespace(KubeCluster.NAMESPACE).list().getItems().forEach(pod -> client.pods().resource(pod)
                .editStatus(p -> {
                    p.getStatus().setPhase("Running");
                    return p;
                }));
        client.nodes().withName(KubeCluster.NODE).editStatus(node -> {
            node.setStatus(new NodeStatusBuilder().addNewCondition().withType("Ready").withStatus("True")
                    .endCondition().build());
            return node;
        });
    }
}
