package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.model.load.ConfigLoader;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pods and EndpointSlices changing in the API server reach the EDS weftd pushes. */
class KubeEndpointsTest {

    private static final String REVIEWS = "outbound|9080||reviews.default.svc.cluster.local";
    private static final ProxyNode PRODUCTPAGE = Pushes.sidecar("productpage-v1-0", "10.1.0.15",
            Map.of("app", "productpage", "version", "v1"));

    private MockApiServer api;
    private KubernetesClient client;
    private KubeCluster cluster;
    private KubeSource kube;
    private PushPipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        api = new MockApiServer();
        client = api.client();
        cluster = new KubeCluster(client).withIstioCrds().withNode().withBookinfo();
        kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE, Duration.ofSeconds(30));
        pipeline = Pushes.pipeline(kube.config(), kube.workloads());
    }

    @AfterEach
    void stop() {
        pipeline.close();
        kube.close();
        client.close();
        api.close();
    }

    private List<String> reviewsEndpoints() {
        return endpoints(pipeline.current());
    }

    private static List<String> endpoints(PushContext push) {
        ClusterLoadAssignment assignment = (ClusterLoadAssignment) XdsResources.endpoints(push, PRODUCTPAGE)
                .get(REVIEWS);
        return assignment.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
                .map(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress()).sorted().toList();
    }

    @Test
    void scalingUpAndDownReachesTheEndpointsPushedWithinASecond() {
        assertThat(reviewsEndpoints()).containsExactly("10.1.0.12", "10.1.0.13", "10.1.0.14");
        Deployment reviewsV3 = cluster.deployment("reviews-v3");
        PushContext before = pipeline.current();

        cluster.pod(reviewsV3, "reviews-v3-1", true);
        cluster.syncSlices();
        await().atMost(Duration.ofSeconds(1)).until(() -> reviewsEndpoints().contains("10.1.0.16"));
        assertThat(pipeline.current()).as("a push").isNotSameAs(before);
        assertThat(reviewsEndpoints()).containsExactly("10.1.0.12", "10.1.0.13", "10.1.0.14", "10.1.0.16");

        client.pods().inNamespace(KubeCluster.NAMESPACE).withName("reviews-v3-1").delete();
        cluster.syncSlices();
        await().atMost(Duration.ofSeconds(1)).until(() -> !reviewsEndpoints().contains("10.1.0.16"));
        assertThat(reviewsEndpoints()).containsExactly("10.1.0.12", "10.1.0.13", "10.1.0.14");
    }

    @Test
    void aDeletedPodLeavesEvenBeforeItsSliceIsUpdated() {
        client.pods().inNamespace(KubeCluster.NAMESPACE).withName("reviews-v1-0").delete();
        await().atMost(Duration.ofSeconds(1)).until(() -> !reviewsEndpoints().contains("10.1.0.12"));
        assertThat(reviewsEndpoints()).containsExactly("10.1.0.13", "10.1.0.14");
    }

    @Test
    void aPodThatIsNotReadyIsNoEndpointUntilItIs() {
        cluster.pod(cluster.deployment("reviews-v2"), "reviews-v2-1", false);
        cluster.syncSlices();
        await().atMost(Duration.ofSeconds(2)).until(() -> client.discovery().v1().endpointSlices()
                .inNamespace(KubeCluster.NAMESPACE).withName("reviews-slice").get().getEndpoints().size() == 4);
        assertThat(kube.workloads().workloads()).extracting(w -> w.name()).doesNotContain("reviews-v2-1");
        assertThat(reviewsEndpoints()).doesNotContain("10.1.0.16");

        client.pods().inNamespace(KubeCluster.NAMESPACE).withName("reviews-v2-1").edit(pod -> {
            pod.getStatus().getConditions().getFirst().setStatus("True");
            return pod;
        });
        cluster.syncSlices();
        await().atMost(Duration.ofSeconds(1)).until(() -> reviewsEndpoints().contains("10.1.0.16"));
    }

    @Test
    void aPodStatusChangeThatChangesNoEndpointPushesNothing() {
        AtomicInteger changes = new AtomicInteger();
        kube.workloads().addListener(changes::incrementAndGet);
        client.pods().inNamespace(KubeCluster.NAMESPACE).withName("reviews-v1-0").edit(pod -> {
            pod.getStatus().setPhase("Running");
            return pod;
        });
        // A real change in the same informer afterwards: once it is seen, the status change was seen before it.
        client.pods().inNamespace(KubeCluster.NAMESPACE).withName("reviews-v2-0").delete();
        await().atMost(Duration.ofSeconds(1)).until(() -> !reviewsEndpoints().contains("10.1.0.13"));
        assertThat(changes).as("only the deletion changed workloads").hasValue(1);
    }
}
