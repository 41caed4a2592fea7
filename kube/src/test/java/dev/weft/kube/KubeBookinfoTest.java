package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.controlplane.config.DirectoryConfigStore;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.controlplane.registry.WorkloadSource;
import dev.weft.model.Kind;
import dev.weft.model.load.ConfigLoader;
import dev.weft.xds.mesh.Locality;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.WorkloadInstance;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bookinfo through the Kubernetes API gives the xDS the same files give weftd from a directory. */
class KubeBookinfoTest {

    /** reviews 80/20 between v1 and v2, created through the API in networking.istio.io/v1beta1. */
    static final String REVIEWS_80_20 = """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: v1}
                  weight: 80
                - destination: {host: reviews, subset: v2}
                  weight: 20
            """;

    /** The pods a directory-mode weftd would learn of otherwise: bookinfo's, one per Deployment, in creation order. */
    private static final List<String[]> PODS = List.of(
            new String[] {"details-v1-0", "details", "v1", "bookinfo-details"},
            new String[] {"ratings-v1-0", "ratings", "v1", "bookinfo-ratings"},
            new String[] {"reviews-v1-0", "reviews", "v1", "bookinfo-reviews"},
            new String[] {"reviews-v2-0", "reviews", "v2", "bookinfo-reviews"},
            new String[] {"reviews-v3-0", "reviews", "v3", "bookinfo-reviews"},
            new String[] {"productpage-v1-0", "productpage", "v1", "bookinfo-productpage"});

    @Test
    void bookinfoFromTheApiServerIsTheXdsOfTheSameFilesInADirectory(@TempDir Path dir) throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds().withNode().withBookinfo()
                    .apply(KubeCluster.DESTINATION_RULES);
            cluster.istio(REVIEWS_80_20);

            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30))) {
                assertThat(kube.config().errors()).isEmpty();
                assertThat(kube.config().snapshot().virtualServices()).singleElement()
                        .satisfies(vs -> assertThat(vs.apiVersion()).isEqualTo("networking.istio.io/v1beta1"));
                assertThat(kube.config().snapshot().ofKind(Kind.SERVICE)).hasSize(4);
                assertThat(kube.config().snapshot().serviceAccounts()).hasSize(4);

                Files.copy(KubeCluster.BOOKINFO, dir.resolve("bookinfo.yaml"));
                Files.copy(KubeCluster.DESTINATION_RULES, dir.resolve("destination-rule-all.yaml"));
                Files.writeString(dir.resolve("reviews.yaml"), REVIEWS_80_20);
                DirectoryConfigStore directory = new DirectoryConfigStore(dir, new ConfigLoader());
                assertThat(directory.reload()).isTrue();
                List<WorkloadInstance> samePods = directoryWorkloads();
                assertThat(kube.workloads().workloads()).containsExactlyInAnyOrderElementsOf(samePods);

                try (PushPipeline fromKube = Pushes.pipeline(kube.config(), kube.workloads());
                        PushPipeline fromDirectory = Pushes.pipeline(directory, fixed(samePods))) {
                    for (WorkloadInstance pod : samePods) {
                        ProxyNode proxy = Pushes.sidecar(pod.name(), pod.address(), pod.labels());
                        assertThat(Pushes.xds(fromKube.current(), proxy)).as(pod.name())
                                .isEqualTo(Pushes.xds(fromDirectory.current(), proxy))
                                .containsKeys("RDS/9080", "EDS/outbound|9080|v2|reviews.default.svc.cluster.local",
                                        "CDS/outbound|9080|v3|reviews.default.svc.cluster.local");
                    }
                }
            }
        }
    }

    private static List<WorkloadInstance> directoryWorkloads() {
        int ip = 10;
        List<WorkloadInstance> workloads = new java.util.ArrayList<>();
        for (String[] pod : PODS) {
            workloads.add(new WorkloadInstance(pod[0], "default", "10.1.0." + ip++, Map.of("http", 9080), Map.of(),
                    Map.of("app", pod[1], "version", pod[2]), new Locality(KubeCluster.REGION, KubeCluster.ZONE, ""),
                    0, pod[3]));
        }
        return workloads;
    }

    private static WorkloadSource fixed(List<WorkloadInstance> workloads) {
        return new WorkloadSource() {
            @Override
            public List<WorkloadInstance> workloads() {
                return workloads;
            }

            @Override
            public void addListener(Runnable onChange) {
            }
        };
    }
}
