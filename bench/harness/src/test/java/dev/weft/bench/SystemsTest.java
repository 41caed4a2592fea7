package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SystemsTest {

    @Test
    void theComparisonIsDirectTwoWeftJvmsNginxAndHaproxy() {
        assertThat(Systems.comparison("java", "cp").stream().map(SystemSpec::name))
                .containsExactly("direct", "weft-proxy", "weft-proxy-tuned", "nginx", "haproxy");
    }

    @Test
    void flagStepsAccumulateSoEachShowsWhatOneMoreFlagBuys() {
        List<SystemSpec> steps = Systems.jvmFlagSteps("java", "cp");
        SystemSpec serial = steps.get(0);
        SystemSpec heap = steps.get(1);

        assertThat(serial.command()).contains("-XX:+UseSerialGC").doesNotContain("-Xmx64m");
        assertThat(heap.command()).contains("-XX:+UseSerialGC", "-Xmx64m");
        assertThat(steps.get(3).command()).contains("-XX:+UseCompactObjectHeaders", "-Xss256k");
        assertThat(steps).allSatisfy(s -> assertThat(s.command()).endsWith("dev.weft.proxy.ProxyMain", "--bootstrap",
                "${config}"));
    }

    @Test
    void everyProxyHasSidecarTemplatesForTheMutualTlsHop() {
        assertThat(Systems.known("java", "cp")).filteredOn(s -> !s.isDirect()).allSatisfy(s -> {
            assertThat(s.mtlsSidecars().outbound()).contains("mtls-outbound");
            assertThat(s.mtlsSidecars().inbound()).contains("mtls-inbound");
        });
    }

    @Test
    void everyNameIsUnique() {
        List<String> names = Systems.known("java", "cp").stream().map(SystemSpec::name).toList();

        assertThat(names).doesNotHaveDuplicates();
    }
}
