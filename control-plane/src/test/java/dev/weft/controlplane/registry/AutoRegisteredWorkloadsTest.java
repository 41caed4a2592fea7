package dev.weft.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.xds.mesh.Locality;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Protocol;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.mesh.WorkloadInstance;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoRegisteredWorkloadsTest {

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value num(int n) {
        return Value.newBuilder().setNumberValue(n).build();
    }

    private static ProxyNode proxy(String id) {
        Struct port = Struct.newBuilder().putFields("port", num(9080)).putFields("proxy", num(21080))
                .putFields("app", num(20080)).build();
        return ProxyNode.fromNode(Node.newBuilder().setId(id).setMetadata(Struct.newBuilder()
                .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("app", str("reviews")).putFields("version", str("v1"))).build())
                .putFields("SERVICE_ACCOUNT", str("reviews"))
                .putFields(ProxyNode.LOCAL_PORTS_KEY, Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("outbound", num(21001)).putFields("admin", num(21000))
                        .putFields("workload", Value.newBuilder().setListValue(ListValue.newBuilder()
                                .addValues(Value.newBuilder().setStructValue(port))).build())).build()))
                .build());
    }

    @Test
    void aRestartedRegistryServesTheRememberedWorkloadsUntilTheirSidecarsReconnectOrTheGraceEnds(@TempDir Path dir)
            throws Exception {
        RegisteredWorkloadsFile file = new RegisteredWorkloadsFile(dir.resolve("registered-workloads.json"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            AutoRegisteredWorkloads before = new AutoRegisteredWorkloads(file, Duration.ofHours(1), timer);
            ProxyNode back = proxy("sidecar~127.0.0.1~reviews-v1-a.default~default.svc.cluster.local");
            ProxyNode lost = proxy("sidecar~127.0.0.2~reviews-v1-b.default~default.svc.cluster.local");
            before.connected(back);
            before.connected(lost);

            AutoRegisteredWorkloads restarted = new AutoRegisteredWorkloads(file, Duration.ofMillis(200), timer);
            AtomicInteger changes = new AtomicInteger();
            restarted.addListener(changes::incrementAndGet);
            assertThat(restarted.workloads()).isEqualTo(before.workloads()).hasSize(2);
            restarted.connected(back);
            assertThat(changes).as("the same workload again is no change").hasValue(0);

            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() == 1);
            assertThat(restarted.workloads()).extracting(WorkloadInstance::name).containsExactly("reviews-v1-a");
            restarted.stopSaving();
            restarted.disconnected(back);
            assertThat(new AutoRegisteredWorkloads(file, Duration.ofHours(1), timer).workloads())
                    .as("a stopping weftd's closed streams leave the file as it was").hasSize(1);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aSidecarRegistersItsWorkloadUntilItsLastStreamCloses() {
        AutoRegisteredWorkloads registry = new AutoRegisteredWorkloads();
        AtomicInteger changes = new AtomicInteger();
        registry.addListener(changes::incrementAndGet);
        ProxyNode proxy = proxy("sidecar~127.0.0.1~reviews-v1-a.default~default.svc.cluster.local");

        registry.connected(proxy);
        registry.connected(proxy);

        assertThat(registry.workloads()).hasSize(1);
        WorkloadInstance workload = registry.workloads().getFirst();
        assertThat(workload.name()).isEqualTo("reviews-v1-a");
        assertThat(workload.namespace()).isEqualTo("default");
        assertThat(workload.address()).isEqualTo("127.0.0.1");
        assertThat(workload.labels()).containsEntry("version", "v1");
        assertThat(workload.serviceAccount()).isEqualTo("reviews");
        assertThat(workload.portFor(ServicePort.of("http", 9080, Protocol.HTTP)))
                .as("reached on the sidecar's own port, not the app's").isEqualTo(21080);
        assertThat(changes).hasValue(1);

        registry.disconnected(proxy);
        assertThat(registry.workloads()).hasSize(1);
        registry.disconnected(proxy);
        assertThat(registry.workloads()).isEmpty();
        assertThat(changes).hasValue(2);
    }

    @Test
    void aWorkloadTakesItsSidecarsLocalitySoLocalityLoadBalancingSeesIt() {
        AutoRegisteredWorkloads registry = new AutoRegisteredWorkloads();
        ProxyNode proxy = ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~127.0.0.1~reviews-v1-a.default~default.svc.cluster.local")
                .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                        .setRegion("us-east").setZone("us-east-1a").setSubZone("rack7"))
                .build());

        registry.connected(proxy);

        assertThat(registry.workloads().getFirst().locality()).isEqualTo(new Locality("us-east", "us-east-1a", "rack7"));
    }

    @Test
    void gatewaysAreNotWorkloads() {
        AutoRegisteredWorkloads registry = new AutoRegisteredWorkloads();

        registry.connected(ProxyNode.fromNode(Node.newBuilder()
                .setId("router~127.0.0.1~ingress.istio-system~istio-system.svc.cluster.local").build()));

        assertThat(registry.workloads()).isEmpty();
    }
}
