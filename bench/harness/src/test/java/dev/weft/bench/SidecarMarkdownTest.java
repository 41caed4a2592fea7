package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarMarkdownTest {

    private static ScenarioResult max(Scenario s, double rps, Double cpuSeconds, Long rssKb) {
        return new ScenarioResult(s.id(), "wrk", (long) (rps * 10), rps, 0, null, null, cpuSeconds, rssKb,
                rssKb == null ? null : rssKb / 2);
    }

    private static ScenarioResult latency(Scenario s, double p50, double p99, Double cpuSeconds, long requests) {
        return new ScenarioResult(s.id(), "client", requests, requests / 10.0, 0,
                new LatencySummary(requests, p50, p50 * 2, p99, p99 * 2), null, cpuSeconds,
                cpuSeconds == null ? null : 30_720L, cpuSeconds == null ? null : 20_480L);
    }

    private static BenchReport report() {
        RunMeta meta = new RunMeta("2026-01-01T00:00:00Z", "Test CPU", 2, "abc123", "1 1 1", "1 1 1", "–", "–",
                "proxy on CPU 0", Map.of(), new RunMeta.BenchSettingsView(10, 5, 1000, 1, "0", "1", "/1kb"),
                List.of(new RunMeta.SystemView("direct", "straight", "")));
        SystemRound direct = new SystemRound("direct", 1, null, null, null, List.of(
                max(Scenario.HTTP1_COLD_C16, 20_000, null, null),
                latency(Scenario.HTTP1_RATE_C16, 200, 1_000, null, 10_000),
                max(Scenario.HTTP1_MAX_C16, 20_000, null, null), max(Scenario.HTTP1_MAX_C64, 24_000, null, null),
                latency(Scenario.GRPC_UNARY_C4_M4, 400, 2_000, null, 100_000)));
        SystemRound weft = new SystemRound("weft-proxy", 1, 3_000.0, 100_000L, 60_000L, List.of(
                latency(Scenario.GRPC_UNARY_C4_M4, 900, 5_000, 20.0, 50_000),
                max(Scenario.MTLS_COLD_C16, 2_000, 5.0, 150_000L),
                latency(Scenario.MTLS_RATE_C16, 700, 4_000, 3.0, 10_000),
                max(Scenario.MTLS_MAX_C16, 8_000, 12.0, 180_000L), max(Scenario.MTLS_MAX_C64, 6_000, 12.0, 204_800L),
                max(Scenario.PLAIN2_COLD_C16, 3_000, 5.0, 150_000L),
                latency(Scenario.PLAIN2_RATE_C16, 500, 3_000, 2.0, 10_000),
                max(Scenario.PLAIN2_MAX_C64, 10_000, 10.0, 160_000L)));
        SystemRound haproxy = new SystemRound("haproxy", 1, 80.0, 15_000L, 5_000L, List.of(
                latency(Scenario.GRPC_UNARY_C4_M4, 500, 2_500, 10.0, 100_000),
                max(Scenario.MTLS_COLD_C16, 12_000, 5.0, 15_000L),
                latency(Scenario.MTLS_RATE_C16, 450, 1_500, 1.0, 10_000),
                max(Scenario.MTLS_MAX_C16, 12_000, 6.0, 15_000L), max(Scenario.MTLS_MAX_C64, 12_000, 6.0, 16_384L),
                max(Scenario.PLAIN2_COLD_C16, 14_000, 5.0, 15_000L),
                latency(Scenario.PLAIN2_RATE_C16, 420, 1_400, 1.0, 10_000),
                max(Scenario.PLAIN2_MAX_C64, 15_000, 6.0, 15_000L)));
        return new BenchReport(meta, List.of(direct, weft, haproxy));
    }

    @Test
    void twoHopThroughputIsComparedWithTheOneHopDirectRunAndHaproxysPair() {
        String md = new ResultsMarkdown(report()).render();

        // weft c16 8,000 of direct's one-hop 20,000 and of HAProxy's 12,000; c64 6,000 of 24,000 and 12,000;
        // CPU 12 s over 60,000 requests is 0.2 s per 1,000 for both sidecars together.
        assertThat(md).contains("| weft-proxy | 8,000 | 0.40 | 0.67 | 6,000 | 0.25 | 0.50 | 0.200 | 2,000 | 0 |");
        assertThat(md).contains("| direct | 20,000 | 1.00 | 1.67 | 24,000 | 1.00 | 2.00 | – | 20,000 | 0 |");
    }

    @Test
    void twoHopLatencyIsAddedOverDirectAndCpuIsBothSidecarsTogether() {
        String md = new ResultsMarkdown(report()).render();

        // p50 700 − 200, p99 4,000 − 1,000; 3 CPU seconds over a 10 s run is 0.3 cores.
        assertThat(md).contains("| weft-proxy | 1,000 | 700 | 1,400 | 4,000 | 8,000 | 500 | 1,000 | 3,000 | 0.300 | 0 |");
    }

    @Test
    void memoryIsPerSidecarAndDirectHasNoRow() {
        String md = new ResultsMarkdown(report()).render();
        String memory = md.substring(md.indexOf("Memory per sidecar"), md.indexOf("### Two hops without TLS"));

        assertThat(memory).contains("| weft-proxy | 30.0 | 200.0 | 100.0 |").doesNotContain("| direct |");
    }

    @Test
    void thePlainChainSeparatesTheTlsCostFromTheHopCost() {
        String md = new ResultsMarkdown(report()).render();

        // c64 10,000 plain vs 6,000 with mTLS: 0.60; CPU per 1,000: 0.100 plain, 0.200 mTLS, so TLS adds 0.100.
        assertThat(md).contains("| weft-proxy | 10,000 | 0.42 | 0.67 | 0.100 | 500 | 3,000 | 300 | 2,000 | 0.60 | 0.100 |");
        assertThat(md).contains("| haproxy | 15,000 | 0.63 | 1.00 | 0.040 | 420 | 1,400 | 220 | 400 | 0.80 | 0.010 |");
    }

    @Test
    void grpcCallsAreComparedWithDirectAndHaproxy() {
        String md = new ResultsMarkdown(report()).render();

        // 5,000 calls/s against direct's 10,000 and HAProxy's 10,000; 20 CPU s over 50,000 calls.
        assertThat(md).contains("| weft-proxy | 5,000 | 0.50 | 0.50 | 900 | 1,800 | 5,000 | 500 | 3,000 | 0.400 | 0 |");
    }
}
