package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.model.load.ConfigLoader;
import dev.weft.xds.XdsResources;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cluster of many Services and pods loads whole: every pod behind a ready slice is a workload, every Service a
 * host, and the first push generates a sidecar's config. The sizes are small in the test suite; bench/RESULTS.md
 * records a run at 1,000 Services and 10,000 pods ({@code -Dweft.kube.scale.services=1000
 * -Dweft.kube.scale.pods=10000}) with the times and heap this prints. Nothing here asserts a time.
 */
class KubeScaleTest {

    private static final int SERVICES = Integer.getInteger("weft.kube.scale.services", 50);
    private static final int PODS = Integer.getInteger("weft.kube.scale.pods", 500);

    @Test
    void manyServicesAndPodsLoadWholeAndPush() throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            new KubeCluster(client).withNode();
            long createStart = System.nanoTime();
            int perService = Math.max(1, PODS / SERVICES);
            int ip = 0;
            for (int s = 0; s < SERVICES; s++) {
                String name = "svc-" + s;
                client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                        .withName(name).endMetadata().withNewSpec().addToSelector("app", name)
                        .addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
                List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints = new ArrayList<>();
                for (int p = 0; p < perService; p++, ip++) {
                    String pod = name + "-" + p;
                    String address = "10." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255);
                    client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(pod)
                            .addToLabels("app", name).endMetadata().withNewSpec().withNodeName(KubeCluster.NODE)
                            .endSpec().withNewStatus().withPodIP(address).addNewCondition().withType("Ready")
                            .withStatus("True").endCondition().endStatus().build()).create();
                    endpoints.add(new EndpointBuilder().withAddresses(address).withNodeName(KubeCluster.NODE)
                            .withNewConditions().withReady(true).endConditions().withNewTargetRef().withKind("Pod")
                            .withName(pod).withNamespace("default").endTargetRef().build());
                }
                client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                        .withNewMetadata().withName(name + "-slice")
                        .addToLabels("kubernetes.io/service-name", name).endMetadata().withAddressType("IPv4")
                        .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                        .withEndpoints(endpoints).build()).create();
            }
            double created = seconds(createStart);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();

            long syncStart = System.nanoTime();
            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofMinutes(5))) {
                double synced = seconds(syncStart);
                long pushStart = System.nanoTime();
                try (PushPipeline pipeline = Pushes.pipeline(kube.config(), kube.workloads())) {
                    var clusters = XdsResources.clusters(pipeline.current(), Pushes.sidecar("svc-0-0", "10.0.0.0",
                            Map.of("app", "svc-0")));
                    double pushed = seconds(pushStart);
                    System.gc();
                    long heapAfter = memory.getHeapMemoryUsage().getUsed();

                    assertThat(kube.workloads().workloads()).hasSize(SERVICES * perService);
                    assertThat(kube.config().snapshot().services()).hasSize(SERVICES);
                    // The first push came from what start() returned: every Service, not the ones handed over so far.
                    assertThat(clusters.keySet()).contains("outbound|80||svc-" + (SERVICES - 1)
                            + ".default.svc.cluster.local");
                    System.out.printf("kube scale: %d Services, %d pods: created through the API in %.1f s, "
                            + "informers synced in %.2f s, first push and one sidecar's CDS in %.2f s, "
                            + "heap +%.1f MB%n", SERVICES, SERVICES * perService, created, synced, pushed,
                            (heapAfter - heapBefore) / 1e6);
                }
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
