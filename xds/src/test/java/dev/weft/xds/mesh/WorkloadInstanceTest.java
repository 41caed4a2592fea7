package dev.weft.xds.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadInstanceTest {

    private static final ServicePort HTTP = new ServicePort("http", 9080, Protocol.HTTP, 8080);

    private static WorkloadInstance workload(Map<String, Integer> byName, Map<Integer, Integer> byTarget, int weight) {
        return new WorkloadInstance("w", "default", "10.0.0.1", byName, byTarget,
                Map.of("app", "reviews", "version", "v1"), Locality.parse("r/z"), weight, "sa");
    }

    @Test
    void portComesFromNamedPortThenTargetPort() {
        assertThat(workload(Map.of(), Map.of(), 0).portFor(HTTP)).isEqualTo(8080);
        assertThat(workload(Map.of("http", 7000), Map.of(), 0).portFor(HTTP)).isEqualTo(7000);
        assertThat(workload(Map.of(), Map.of(), 0).portFor(ServicePort.of("tcp", 5000, Protocol.TCP)))
                .isEqualTo(5000);
    }

    @Test
    void localRuntimeRemapsTheTargetPortToTheSidecarPort() {
        assertThat(workload(Map.of(), Map.of(8080, 21080), 0).portFor(HTTP)).isEqualTo(21080);
    }

    @Test
    void unsetWeightCountsAsOne() {
        assertThat(workload(Map.of(), Map.of(), 0).effectiveWeight()).isEqualTo(1);
        assertThat(workload(Map.of(), Map.of(), 7).effectiveWeight()).isEqualTo(7);
        assertThatThrownBy(() -> workload(Map.of(), Map.of(), -1)).hasMessageContaining("negative");
    }

    @Test
    void selectorMatchesWhenAllLabelsPresent() {
        WorkloadInstance w = workload(Map.of(), Map.of(), 0);
        assertThat(w.hasLabels(Map.of("app", "reviews"))).isTrue();
        assertThat(w.hasLabels(Map.of("app", "reviews", "version", "v2"))).isFalse();
        assertThat(w.hasLabels(Map.of())).isTrue();
    }

    @Test
    void localityParsesPartialValues() {
        assertThat(Locality.parse("us-east/zone-a")).isEqualTo(new Locality("us-east", "zone-a", ""));
        assertThat(Locality.parse(null)).isEqualTo(Locality.UNKNOWN);
    }
}
