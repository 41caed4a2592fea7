package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.kube.config.IstioKinds;
import dev.weft.model.Kind;
import dev.weft.model.load.ConfigLoader;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An invalid Istio resource written through the API is reported on its status and never served. */
class KubeValidationTest {

    private static final ProxyNode PRODUCTPAGE = Pushes.sidecar("productpage-v1-0", "10.1.0.15",
            Map.of("app", "productpage", "version", "v1"));

    private static String reviews(String subset, int weight) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: %s}
                      weight: %d
                """.formatted(subset, weight);
    }

    private static String routes(PushContext push) {
        return XdsResources.routes(push, PRODUCTPAGE).get("9080").toString();
    }

    @Test
    void anInvalidVirtualServiceGetsItsStatusAndChangesNothingServedUntilAValidEdit() throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds().withNode().withBookinfo()
                    .apply(KubeCluster.DESTINATION_RULES);
            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30)); PushPipeline pipeline = Pushes.pipeline(kube.config(), kube.workloads())) {
                cluster.istio(reviews("v1", 100));
                await().atMost(Duration.ofSeconds(2))
                        .until(() -> routes(pipeline.current()).contains("outbound|9080|v1|reviews.default"));
                PushContext served = pipeline.current();

                cluster.istio(reviews("v2", -5));
                await().atMost(Duration.ofSeconds(2)).until(() -> validationMessages(client, "reviews") != null);
                assertThat(validationMessages(client, "reviews")).isEqualTo(List.of(Map.of(
                        "type", Map.of("code", "IST0106", "name", "SchemaValidationError"), "level", "ERROR")));
                assertThat(kube.config().errors()).singleElement().satisfies(error -> {
                    assertThat(error.file()).isEqualTo("kube:VirtualService/default/reviews");
                    assertThat(error.path()).isEqualTo("spec.http[0].route[0].weight");
                });
                await().atMost(Duration.ofSeconds(2)).until(() -> !events(client).isEmpty());
                assertThat(events(client)).singleElement().satisfies(event -> {
                    assertThat(event.getType()).isEqualTo("Warning");
                    assertThat(event.getInvolvedObject().getName()).isEqualTo("reviews");
                    assertThat(event.getMessage()).startsWith("spec.http[0].route[0].weight: ");
                });
                assertThat(pipeline.current()).as("no push").isSameAs(served);
                assertThat(routes(pipeline.current())).contains("outbound|9080|v1|reviews.default")
                        .doesNotContain("outbound|9080|v2|reviews.default");

                cluster.istio(reviews("v2", 100));
                await().atMost(Duration.ofSeconds(2))
                        .until(() -> routes(pipeline.current()).contains("outbound|9080|v2|reviews.default"));
                await().atMost(Duration.ofSeconds(2)).until(() -> validationMessages(client, "reviews") == null);
                assertThat(kube.config().errors()).isEmpty();
            }
        }
    }

    @Test
    void anInvalidResourceThatWasNeverValidIsNotServed() throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds();
            cluster.istio(reviews("v1", -1));
            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30))) {
                assertThat(kube.config().snapshot().virtualServices()).isEmpty();
                assertThat(kube.config().errors()).extracting(e -> e.path())
                        .containsExactly("spec.http[0].route[0].weight");
                await().atMost(Duration.ofSeconds(2)).until(() -> validationMessages(client, "reviews") != null);
            }
        }
    }

    private static Object validationMessages(KubernetesClient client, String name) {
        GenericKubernetesResource resource = client.genericKubernetesResources(
                IstioKinds.context(Kind.VIRTUAL_SERVICE, "v1")).inNamespace(KubeCluster.NAMESPACE).withName(name).get();
        return resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                ? status.get("validationMessages") : null;
    }

    private static List<Event> events(KubernetesClient client) {
        return client.v1().events().inNamespace(KubeCluster.NAMESPACE).list().getItems();
    }
}
