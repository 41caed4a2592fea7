package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsMarkdownTest {

    private static ScenarioResult max(Scenario s, double rps, Double cpuSeconds) {
        return new ScenarioResult(s.id(), "wrk", (long) (rps * 10), rps, 0, null, null, cpuSeconds,
                cpuSeconds == null ? null : 50_000L, cpuSeconds == null ? null : 30_720L);
    }

    private static ScenarioResult rate(double p50, double p90, double p99, Double cpuSeconds) {
        return new ScenarioResult(Scenario.HTTP1_RATE_C16.id(), "client", 10_000, 1000, 0,
                new LatencySummary(10_000, p50, p90, p99, p99 * 2), null, cpuSeconds, cpuSeconds == null ? null : 40_960L,
                cpuSeconds == null ? null : 25_600L);
    }

    private static SystemRound round(String system, int round, double rps, double p99, Double cpu) {
        return new SystemRound(system, round, cpu == null ? null : 300.0, cpu == null ? null : 20_480L,
                cpu == null ? null : 10_240L, List.of(
                max(Scenario.HTTP1_COLD_C16, rps / 4, cpu), rate(100, 150, p99, cpu), max(Scenario.HTTP1_MAX_C16, rps, cpu)));
    }

    private static BenchReport report() {
        RunMeta meta = new RunMeta("2026-01-01T00:00:00Z", "Test CPU", 2, "abc123", "1.00 1.00 1.00",
                "2.00 2.00 2.00", "5.00 % over 10 s, 4.00 % over 60 s", "50.00 % over 10 s, 40.00 % over 60 s", "proxy on CPU 0", Map.of("wrk", "wrk 4.1.0"),
                new RunMeta.BenchSettingsView(10, 3, 1000, 2, "0", "1", "/1kb"),
                List.of(new RunMeta.SystemView("direct", "straight", "")));
        return new BenchReport(meta, List.of(
                round("direct", 1, 20_000, 200, null), round("weft-proxy", 1, 9_000, 330, 1.0),
                round("haproxy", 1, 10_000, 300, 2.0), round("direct", 2, 22_000, 200, null),
                round("weft-proxy", 2, 11_000, 350, 3.0), round("haproxy", 2, 10_000, 300, 2.0)));
    }

    @Test
    void medianRatiosAgainstDirectAndHaproxy() {
        String md = new ResultsMarkdown(report()).render();

        // weft-proxy's median c16 rps is 10,000: 0.48 of direct's 21,000 and 1.00 of HAProxy's.
        assertThat(md).contains("| weft-proxy | 10,000 | 0.48 | 1.00 |");
        assertThat(md).contains("| direct | 21,000 | 1.00 | 2.10 |");
    }

    @Test
    void theColdRunRightAfterStartIsShownBesideTheWarmMaximum() {
        String md = new ResultsMarkdown(report()).render();

        assertThat(md).contains("cold c16 rps (first 3 s)")
                .containsPattern("\\| weft-proxy \\| 10,000 \\|.*\\| 2,500 \\| 0 \\|");
    }

    @Test
    void addedLatencyIsOverDirectAndCpuIsCoresAtTheConstantRate() {
        String md = new ResultsMarkdown(report()).render();

        // p99 median 340 vs direct's 200; CPU 2 s over a 10 s run is 0.2 cores.
        assertThat(md).contains("| weft-proxy | 1,000 | 100 | 150 | 340 | 680 | 0 | 0 | 140 | 0.200 | 0 |");
        assertThat(md).contains("| direct | 1,000 | 100 | 150 | 200 | 400 | – | – | – | – | 0 |");
    }

    @Test
    void memoryAndStartupInMegabytesAndMillis() {
        String md = new ResultsMarkdown(report()).render();

        assertThat(md).contains("| weft-proxy | 300 | 20.0 | 10.0 | 40.0 | 25.0 | 48.8 | 30.0 |");
        assertThat(md).contains("| direct | – | – | – | – | – | – | – |");
        assertThat(md).contains("Load average (1/5/15 min) before: 1.00 1.00 1.00, after: 2.00 2.00 2.00")
                .contains("before: 5.00 % over 10 s, 4.00 % over 60 s, after: 50.00 % over 10 s, 40.00 % over 60 s");
    }

    @Test
    void aRunWithoutTwoHopOrGrpcScenariosHasNoSectionsForThem() {
        String md = new ResultsMarkdown(report()).render();

        assertThat(md).doesNotContain("mutual TLS").doesNotContain("gRPC unary");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(RunMedians.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(RunMedians.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(RunMedians.median(List.of())).isNull();
    }
}
