package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import org.junit.jupiter.api.Test;

class ClusterCompilerTest {

    @Test
    void istiosUnlimitedCircuitBreakersStayUnlimited() {
        UInt32Value unlimited = UInt32Value.of(-1); // 4294967295 on the wire, as Istio sends it
        Cluster cluster = Cluster.newBuilder()
                .setName("outbound|9080||reviews.default.svc.cluster.local")
                .setType(Cluster.DiscoveryType.STATIC)
                .setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(CircuitBreakers.Thresholds.newBuilder()
                        .setPriority(RoutingPriority.DEFAULT)
                        .setMaxConnections(unlimited)
                        .setMaxPendingRequests(unlimited)
                        .setMaxRequests(unlimited)
                        .setMaxRetries(UInt32Value.of(7))))
                .build();

        CircuitBreakerThresholds thresholds = ClusterCompiler.compile(cluster).circuitBreakers();

        assertThat(thresholds).isEqualTo(
                new CircuitBreakerThresholds(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 7, false));
    }
}
