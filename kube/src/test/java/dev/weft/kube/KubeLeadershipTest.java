package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.kube.config.IstioKinds;
import dev.weft.model.Kind;
import dev.weft.model.load.ConfigLoader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two weftd replicas watch one cluster: both take its config, one holds the Lease and alone writes status and
 * Events; when it goes, the other takes the Lease and writes what is still unwritten.
 */
class KubeLeadershipTest {

    private static final StatusLeadership.Timing QUICK = new StatusLeadership.Timing(Duration.ofSeconds(2),
            Duration.ofMillis(1500), Duration.ofMillis(200));

    private static String invalid(String name) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %s, namespace: default}
                spec:
                  hosts: [%s]
                  http:
                  - route:
                    - destination: {host: %s}
                      weight: -1
                """.formatted(name, name, name);
    }

    private static KubeSource replica(KubernetesClient client, String name) throws Exception {
        return KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE, Duration.ofSeconds(30),
                new StatusLeadership.Election("istio-system", name, QUICK));
    }

    @Test
    void oneReplicaWritesStatusAndAnotherTakesOverWhenItGoes() throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds();
            KubeSource first = replica(client, "weftd-a");
            KubeSource second = replica(client, "weftd-b");
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> first.leading() || second.leading());
                assertThat(first.leading() && second.leading()).as("one leader").isFalse();
                KubeSource leader = first.leading() ? first : second;
                KubeSource follower = leader == first ? second : first;

                cluster.istio(invalid("reviews"));
                await().atMost(Duration.ofSeconds(5)).until(() -> status(client, "reviews") != null);
                await().atMost(Duration.ofSeconds(5)).until(() -> follower.config().errors().size() == 1);
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                        .as("the follower saw the same rejection and wrote nothing").hasSize(1);

                leader.close();
                await().atMost(Duration.ofSeconds(10)).until(follower::leading);
                cluster.istio(invalid("ratings"));
                await().atMost(Duration.ofSeconds(5)).until(() -> status(client, "ratings") != null);
                assertThat(client.v1().events().inNamespace("default").list().getItems()).hasSize(2);
            } finally {
                first.close();
                second.close();
            }
        }
    }

    @Test
    void aPodTakesPartAsItsNameInItsNamespace() {
        assertThat(WeftdKubeMain.election(Map.of("POD_NAMESPACE", "mesh", "POD_NAME", "weftd-7c9f")))
                .isEqualTo(new StatusLeadership.Election("mesh", "weftd-7c9f", StatusLeadership.Timing.DEFAULT));
        assertThat(WeftdKubeMain.election(Map.of("HOSTNAME", "host-1")).namespace()).isEqualTo("istio-system");
        assertThat(WeftdKubeMain.election(Map.of("HOSTNAME", "host-1")).identity()).isEqualTo("host-1");
    }

    private static Object status(KubernetesClient client, String name) {
        GenericKubernetesResource resource = client.genericKubernetesResources(
                IstioKinds.context(Kind.VIRTUAL_SERVICE, "v1")).inNamespace("default").withName(name).get();
        return resource != null && resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                ? status.get("validationMessages") : null;
    }
}
