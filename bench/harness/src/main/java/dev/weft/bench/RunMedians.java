package dev.weft.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Looks up a run's values for one system and scenario as the report shows them: the median over rounds, formatted.
 * Direct stands in for every scenario with the scenario's direct equivalent (a two-hop load without proxies is the
 * one-hop load), so ratios and added latency of two-hop scenarios are over the same direct baseline.
 */
final class RunMedians {

    static final String HAPROXY = "haproxy";

    private final BenchReport report;

    RunMedians(BenchReport report) {
        this.report = report;
    }

    List<String> systems() {
        return report.rounds().stream().map(SystemRound::system).distinct().toList();
    }

    List<ScenarioResult> results(String system, Scenario scenario) {
        String id = system.equals(SystemSpec.DIRECT) ? scenario.direct().id() : scenario.id();
        return report.rounds().stream().filter(r -> r.system().equals(system))
                .flatMap(r -> r.scenarios().stream()).filter(r -> r.scenario().equals(id)).toList();
    }

    Double median(String system, Scenario scenario, Function<ScenarioResult, Double> value) {
        return median(results(system, scenario).stream().map(value).toList());
    }

    Double medianRound(String system, Function<SystemRound, Double> value) {
        return median(report.rounds().stream().filter(r -> r.system().equals(system)).map(value).toList());
    }

    Double rps(String system, Scenario scenario) {
        return median(system, scenario, ScenarioResult::requestsPerSecond);
    }

    Double cpuPer1000(String system, Scenario scenario) {
        return median(system, scenario, ScenarioResult::cpuSecondsPer1000Requests);
    }

    Double latency(String system, Scenario scenario, Function<LatencySummary, Double> percentile) {
        return median(system, scenario, r -> r.latency() == null ? null : percentile.apply(r.latency()));
    }

    /** CPU seconds per second of a run: the cores the proxies used at that load. */
    Double cores(String system, Scenario scenario) {
        double seconds = report.meta().settings().durationSeconds();
        return median(system, scenario, r -> r.cpuSeconds() == null ? null : r.cpuSeconds() / seconds);
    }

    /** The largest value over every round of the given scenarios (memory peaks). */
    Double max(String system, Function<ScenarioResult, Long> value, Scenario... scenarios) {
        return List.of(scenarios).stream().flatMap(s -> results(system, s).stream()).map(value)
                .filter(Objects::nonNull).map(Long::doubleValue).max(Double::compare).orElse(null);
    }

    String ratio(String system, Scenario scenario, String baseline) {
        return ratioOf(system, scenario, baseline, ScenarioResult::requestsPerSecond);
    }

    String ratioOf(String system, Scenario scenario, String baseline, Function<ScenarioResult, Double> value) {
        return ratio(median(system, scenario, value), median(baseline, scenario, value));
    }

    static String ratio(Double mine, Double theirs) {
        return mine == null || theirs == null || theirs == 0 ? "–" : fmt(mine / theirs, 2);
    }

    /** The system's latency percentile minus direct's, in µs. */
    String added(String system, Scenario scenario, Function<LatencySummary, Double> percentile) {
        if (system.equals(SystemSpec.DIRECT)) {
            return "–";
        }
        Double mine = latency(system, scenario, percentile);
        Double direct = latency(SystemSpec.DIRECT, scenario, percentile);
        return mine == null || direct == null ? "–" : fmt(mine - direct, 0);
    }

    String errors(String system, Scenario... scenarios) {
        long total = List.of(scenarios).stream().flatMap(s -> results(system, s).stream())
                .mapToLong(ScenarioResult::errors).sum();
        return Long.toString(total);
    }

    static Double mb(Double kb) {
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

    /** A Markdown table with one row per system, the first column left-aligned and the rest right-aligned. */
    void table(StringBuilder md, List<String> header, Function<String, List<String>> row) {
        table(md, systems(), header, row);
    }

    void table(StringBuilder md, List<String> systems, List<String> header, Function<String, List<String>> row) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append(h.equals("system") ? "---|" : "---:|"));
        md.append('\n');
        for (String system : systems) {
            md.append("| ").append(String.join(" | ", row.apply(system))).append(" |\n");
        }
        md.append('\n');
    }
}
