package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void withoutProxiesATwoHopLoadIsTheOneHopLoadToTheSameUpstream() {
        for (Scenario s : Scenario.values()) {
            Scenario direct = s.direct();
            assertThat(direct.topology()).as(s.id()).isEqualTo(Topology.ONE_HOP);
            assertThat(direct.load()).as(s.id()).isEqualTo(s.load());
            assertThat(direct.connections()).as(s.id()).isEqualTo(s.connections());
            assertThat(direct.isWarmUp()).as(s.id()).isEqualTo(s.isWarmUp());
        }
        assertThat(Scenario.MTLS_MAX_C64.direct()).isEqualTo(Scenario.HTTP1_MAX_C64);
        assertThat(Scenario.TCP_C4.direct()).isEqualTo(Scenario.TCP_C4);
    }

    @Test
    void eachTopologyStartsWithAWarmUpSoFreshProxiesAreNotMeasuredCold() {
        for (Topology t : Topology.values()) {
            List<Scenario> ofTopology = List.of(Scenario.values()).stream().filter(s -> s.topology() == t).toList();
            assertThat(ofTopology.getFirst().isWarmUp()).as(t.name()).isTrue();
            assertThat(ofTopology.stream().filter(Scenario::isWarmUp).filter(s -> s.load() == Scenario.Load.WRK))
                    .as(t.name()).hasSize(1);
        }
    }

    /** The JIT compiles HTTP/2's path only once HTTP/2 arrives: its maximum is measured after its own warm-up. */
    @Test
    void http2IsMeasuredAfterItsOwnWarmUp() {
        List<Scenario> order = List.of(Scenario.values());
        assertThat(Scenario.HTTP2_COLD_C16.isWarmUp()).isTrue();
        assertThat(order.indexOf(Scenario.HTTP2_COLD_C16)).isEqualTo(order.indexOf(Scenario.HTTP2_MAX_C16) - 1);
        assertThat(Scenario.HTTP2_COLD_C16.load()).isEqualTo(Scenario.HTTP2_MAX_C16.load());
    }

    @Test
    void scenariosAreFoundByIdAndAnUnknownIdIsAClearError() {
        assertThat(Scenario.byId("mtls-rate-c16")).isEqualTo(Scenario.MTLS_RATE_C16);
        assertThatThrownBy(() -> Scenario.byId("mtls-c1000")).hasMessage("unknown scenario mtls-c1000");
    }
}
