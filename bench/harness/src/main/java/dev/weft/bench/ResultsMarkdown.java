package dev.weft.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Renders a run as Markdown tables, one value per system and scenario: the median over rounds. Ratios are against
 * direct and against HAProxy on the same scenario; added latency is the system's percentile minus direct's.
 */
final class ResultsMarkdown {

    private static final String HAPROXY = "haproxy";

    private final BenchReport report;
    private final List<String> systems;

    ResultsMarkdown(BenchReport report) {
        this.report = report;
        this.systems = report.rounds().stream().map(SystemRound::system).distinct().toList();
    }

    String render() {
        RunMeta m = report.meta();
        StringBuilder md = new StringBuilder();
        md.append("## Run ").append(m.date()).append("\n\n");
        md.append("- Commit: `").append(m.commit()).append("`\n");
        md.append("- CPU: ").append(m.cpuModel()).append(", ").append(m.cpus()).append(" cores\n");
        md.append("- Load average (1/5/15 min) before: ").append(m.loadAverageBefore()).append(", after: ")
                .append(m.loadAverageAfter()).append("\n");
        md.append("- CPU pressure (share of time some task waited for a CPU, Linux PSI) before: ")
                .append(m.cpuPressureBefore()).append(", after: ").append(m.cpuPressureAfter()).append("\n");
        md.append("- Placement: ").append(m.placement()).append("\n");
        RunMeta.BenchSettingsView s = m.settings();
        md.append("- Each measurement ").append(s.durationSeconds()).append(" s; each turn starts the system fresh and")
                .append(" first runs wrk for ").append(s.warmupSeconds()).append(" s (the cold run, also the warm-up); ")
                .append(s.rounds()).append(" rounds, systems taking turns; ")
                .append("constant rate ").append(fmt(s.rate(), 0)).append(" rps; response body ")
                .append(Upstream.BODY_BYTES).append(" B (`").append(s.path()).append("`); values are medians over rounds\n");
        m.toolVersions().forEach((tool, version) -> md.append("- ").append(tool).append(": ").append(version).append('\n'));
        md.append('\n');

        md.append("### HTTP/1.1 keep-alive, maximum rps (wrk)\n\n");
        table(md, List.of("system", "c16 rps", "vs direct", "vs HAProxy", "c64 rps", "vs direct", "vs HAProxy",
                "proxy CPU s / 1k req (c64)", "cold c16 rps (first " + s.warmupSeconds() + " s)", "errors"),
                system -> List.of(system,
                fmt(rps(system, Scenario.HTTP1_MAX_C16), 0), ratio(system, Scenario.HTTP1_MAX_C16, SystemSpec.DIRECT),
                ratio(system, Scenario.HTTP1_MAX_C16, HAPROXY), fmt(rps(system, Scenario.HTTP1_MAX_C64), 0),
                ratio(system, Scenario.HTTP1_MAX_C64, SystemSpec.DIRECT), ratio(system, Scenario.HTTP1_MAX_C64, HAPROXY),
                fmt(median(system, Scenario.HTTP1_MAX_C64, ScenarioResult::cpuSecondsPer1000Requests), 3),
                fmt(rps(system, Scenario.HTTP1_COLD_C16), 0),
                errors(system, Scenario.HTTP1_MAX_C16, Scenario.HTTP1_MAX_C64)));

        for (Scenario rate : List.of(Scenario.HTTP1_RATE_C16, Scenario.HTTP1_RATE_C64)) {
            md.append("### HTTP/1.1 keep-alive at a constant ").append(fmt(s.rate(), 0)).append(" rps, ")
                    .append(rate.connections()).append(" connections: latency in µs (no coordinated omission)\n\n");
            table(md, List.of("system", "p50", "p90", "p99", "max", "added p50", "added p90", "added p99",
                    "proxy CPU cores", "errors"), system -> List.of(system,
                    fmt(latency(system, rate, LatencySummary::p50Micros), 0),
                    fmt(latency(system, rate, LatencySummary::p90Micros), 0),
                    fmt(latency(system, rate, LatencySummary::p99Micros), 0),
                    fmt(latency(system, rate, LatencySummary::maxMicros), 0),
                    added(system, rate, LatencySummary::p50Micros), added(system, rate, LatencySummary::p90Micros),
                    added(system, rate, LatencySummary::p99Micros), fmt(cores(system, rate), 3),
                    errors(system, rate)));
        }

        md.append("### HTTP/2 prior knowledge downstream, HTTP/1.1 upstream, maximum rps (h2load -c16 -m10)\n\n");
        table(md, List.of("system", "rps", "vs direct", "vs HAProxy", "proxy CPU s / 1k req", "errors"), system -> List.of(
                system, fmt(rps(system, Scenario.HTTP2_MAX_C16), 0),
                ratio(system, Scenario.HTTP2_MAX_C16, SystemSpec.DIRECT), ratio(system, Scenario.HTTP2_MAX_C16, HAPROXY),
                fmt(median(system, Scenario.HTTP2_MAX_C16, ScenarioResult::cpuSecondsPer1000Requests), 3),
                errors(system, Scenario.HTTP2_MAX_C16)));

        md.append("### TCP proxying, 4 connections writing 64 KB chunks\n\n");
        table(md, List.of("system", "MB/s", "vs direct", "vs HAProxy", "proxy CPU s / GB", "errors"), system -> List.of(
                system, fmt(median(system, Scenario.TCP_C4, ScenarioResult::megabytesPerSecond), 0),
                ratioOf(system, Scenario.TCP_C4, SystemSpec.DIRECT, ScenarioResult::megabytesPerSecond),
                ratioOf(system, Scenario.TCP_C4, HAPROXY, ScenarioResult::megabytesPerSecond),
                fmt(median(system, Scenario.TCP_C4, r -> r.cpuSeconds() == null || r.megabytesPerSecond() == null
                        || r.megabytesPerSecond() == 0 ? null
                        : r.cpuSeconds() / (r.megabytesPerSecond() * s.durationSeconds() / 1000)), 2),
                errors(system, Scenario.TCP_C4)));

        md.append("### Proxy memory and startup\n\n");
        table(md, List.of("system", "startup to first proxied 200 (ms)", "RSS idle (MB)", "RSS peak at 1,000 rps (MB)",
                "RSS peak at max load (MB)"), system -> List.of(system,
                fmt(medianRound(system, SystemRound::startupMillis), 0),
                fmt(mb(medianRound(system, r -> r.idleRssKb() == null ? null : r.idleRssKb().doubleValue())), 1),
                fmt(mb(maxPeak(system, Scenario.HTTP1_RATE_C16, Scenario.HTTP1_RATE_C64)), 1),
                fmt(mb(maxPeak(system, Scenario.HTTP1_MAX_C16, Scenario.HTTP1_MAX_C64, Scenario.HTTP2_MAX_C16)), 1)));

        md.append("### Exact commands\n\n");
        for (RunMeta.SystemView view : m.systems()) {
            md.append("- ").append(view.name()).append(" (").append(view.description()).append(")");
            if (!view.command().isEmpty()) {
                md.append(": `").append(view.command()).append('`');
            }
            md.append('\n');
        }
        report.rounds().stream().filter(r -> r.round() == 1).findFirst().ifPresent(first -> first.scenarios()
                .forEach(r -> md.append("- ").append(r.scenario()).append(" (ports differ per system): `")
                        .append(r.command()).append("`\n")));
        md.append('\n');
        return md.toString();
    }

    private void table(StringBuilder md, List<String> header, Function<String, List<String>> row) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append(h.equals("system") ? "---|" : "---:|"));
        md.append('\n');
        for (String system : systems) {
            md.append("| ").append(String.join(" | ", row.apply(system))).append(" |\n");
        }
        md.append('\n');
    }

    private List<ScenarioResult> results(String system, Scenario scenario) {
        return report.rounds().stream().filter(r -> r.system().equals(system))
                .flatMap(r -> r.scenarios().stream()).filter(r -> r.scenario().equals(scenario.id())).toList();
    }

    private Double median(String system, Scenario scenario, Function<ScenarioResult, Double> value) {
        return median(results(system, scenario).stream().map(value).toList());
    }

    private Double medianRound(String system, Function<SystemRound, Double> value) {
        return median(report.rounds().stream().filter(r -> r.system().equals(system)).map(value).toList());
    }

    private Double rps(String system, Scenario scenario) {
        return median(system, scenario, ScenarioResult::requestsPerSecond);
    }

    private Double latency(String system, Scenario scenario, Function<LatencySummary, Double> percentile) {
        return median(system, scenario, r -> r.latency() == null ? null : percentile.apply(r.latency()));
    }

    /** CPU seconds per second of a constant-rate run: the cores the proxy used at that rate. */
    private Double cores(String system, Scenario scenario) {
        double seconds = report.meta().settings().durationSeconds();
        return median(system, scenario, r -> r.cpuSeconds() == null ? null : r.cpuSeconds() / seconds);
    }

    private Double maxPeak(String system, Scenario... scenarios) {
        return List.of(scenarios).stream().flatMap(s -> results(system, s).stream()).map(ScenarioResult::peakRssKb)
                .filter(Objects::nonNull).map(Long::doubleValue).max(Double::compare).orElse(null);
    }

    private String ratio(String system, Scenario scenario, String baseline) {
        return ratioOf(system, scenario, baseline, ScenarioResult::requestsPerSecond);
    }

    private String ratioOf(String system, Scenario scenario, String baseline, Function<ScenarioResult, Double> value) {
        Double mine = median(system, scenario, value);
        Double theirs = median(baseline, scenario, value);
        return mine == null || theirs == null || theirs == 0 ? "–" : fmt(mine / theirs, 2);
    }

    private String added(String system, Scenario scenario, Function<LatencySummary, Double> percentile) {
        if (system.equals(SystemSpec.DIRECT)) {
            return "–";
        }
        Double mine = latency(system, scenario, percentile);
        Double direct = latency(SystemSpec.DIRECT, scenario, percentile);
        return mine == null || direct == null ? "–" : fmt(mine - direct, 0);
    }

    private String errors(String system, Scenario... scenarios) {
        long total = List.of(scenarios).stream().flatMap(s -> results(system, s).stream())
                .mapToLong(ScenarioResult::errors).sum();
        return Long.toString(total);
    }

    private static Double mb(Double kb) {
        return kb == null ? null : kb / 1024;
    }

    static Double median(Collection<Double> values) {
        List<Double> sorted = new ArrayList<>(values.stream().filter(Objects::nonNull)
                .filter(v -> !v.isNaN()).sorted().toList());
        if (sorted.isEmpty()) {
            return null;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String fmt(Double value, int decimals) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
