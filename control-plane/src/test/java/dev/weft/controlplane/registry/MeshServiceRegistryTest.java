package dev.weft.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.RegistrySnapshot;
import dev.weft.xds.mesh.ServiceInstances;
import io.envoyproxy.envoy.config.core.v3.Node;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshServiceRegistryTest {

    private static final Path BOOKINFO = Path.of("../examples/bookinfo/mesh");

    private final AutoRegisteredWorkloads workloads = new AutoRegisteredWorkloads();
    private final MeshServiceRegistry registry = new MeshServiceRegistry(workloads, "cluster.local");

    private static ConfigSnapshot bookinfo() {
        LoadResult loaded = new ConfigLoader().load(BOOKINFO.resolve("bookinfo.yaml"),
                BOOKINFO.resolve("destination-rule-all.yaml"), BOOKINFO.resolve("networking/virtual-service-all-v1.yaml"));
        assertThat(loaded.errors()).isEmpty();
        return loaded.snapshot();
    }

    private static ProxyNode reviews(String pod, String ip) {
        return ProxyNode.fromNode(Node.newBuilder().setId("sidecar~" + ip + "~" + pod + ".default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("app", Value.newBuilder().setStringValue("reviews").build())).build()))
                .build());
    }

    private static int reviewsEndpoints(RegistrySnapshot snapshot) {
        return snapshot.services().stream().filter(s -> s.service().hostname().startsWith("reviews."))
                .mapToInt(s -> s.workloads().size()).sum();
    }

    @Test
    void aPushWhoseServicesAndWorkloadsDidNotChangeGetsThePreviousSnapshot() {
        ConfigSnapshot config = bookinfo();
        workloads.connected(reviews("reviews-v1-a", "10.0.0.1"));
        RegistrySnapshot first = registry.snapshot(config);

        List<Resource<?>> withoutRoutes = new ArrayList<>(config.all());
        withoutRoutes.removeAll(config.ofKind(Kind.VIRTUAL_SERVICE));

        assertThat(registry.snapshot(ConfigSnapshot.of(withoutRoutes)))
                .as("a routing change leaves services and workloads as they were").isSameAs(first);
        assertThat(reviewsEndpoints(first)).isEqualTo(1);
    }

    @Test
    void aWorkloadComingOrAServiceChangingBuildsANewSnapshot() {
        ConfigSnapshot config = bookinfo();
        RegistrySnapshot empty = registry.snapshot(config);

        workloads.connected(reviews("reviews-v1-a", "10.0.0.1"));
        RegistrySnapshot registered = registry.snapshot(config);
        assertThat(registered).isNotSameAs(empty);
        assertThat(reviewsEndpoints(empty)).isZero();
        assertThat(reviewsEndpoints(registered)).isEqualTo(1);

        List<Resource<?>> withoutServices = new ArrayList<>(config.all());
        withoutServices.removeAll(config.ofKind(Kind.SERVICE));
        RegistrySnapshot noServices = registry.snapshot(ConfigSnapshot.of(withoutServices));
        assertThat(noServices.services()).extracting(ServiceInstances::service)
                .noneMatch(s -> s.hostname().startsWith("reviews."));
    }

    @Test
    void everySourcesWorkloadsAreSelectedAndEachSourcesChangesAreTold() {
        AutoRegisteredWorkloads platform = new AutoRegisteredWorkloads();
        MeshServiceRegistry both = new MeshServiceRegistry(List.of(workloads, platform), "cluster.local");
        List<String> told = new ArrayList<>();
        both.addEndpointListener(() -> told.add("changed"));
        workloads.connected(reviews("reviews-v1-a", "10.0.0.1"));
        platform.connected(reviews("reviews-v2-b", "10.0.0.2"));

        assertThat(reviewsEndpoints(both.snapshot(bookinfo()))).isEqualTo(2);
        assertThat(told).hasSize(2);
    }
}
