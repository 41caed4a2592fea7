package dev.weft.bench;

import static dev.weft.bench.RunMedians.HAPROXY;
import static dev.weft.bench.RunMedians.fmt;
import static dev.weft.bench.RunMedians.mb;

import java.util.List;

/**
 * Renders a run as Markdown: its facts, the one-hop tables, memory and startup, then the sidecar-to-sidecar and
 * gRPC sections ({@link SidecarMarkdown}), and the exact commands. Each value is the median over rounds; ratios are
 * against direct and against HAProxy on the same scenario; added latency is the system's percentile minus direct's.
 */
final class ResultsMarkdown {

    private final BenchReport report;
    private final RunMedians v;

    ResultsMarkdown(BenchReport report) {
        this.report = report;
        this.v = new RunMedians(report);
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
        maxRpsTable(md, v, Scenario.HTTP1_MAX_C16, Scenario.HTTP1_MAX_C64, Scenario.HTTP1_COLD_C16,
                "proxy CPU s / 1k req (c64)", s.warmupSeconds());

        for (Scenario rate : List.of(Scenario.HTTP1_RATE_C16, Scenario.HTTP1_RATE_C64)) {
            md.append("### HTTP/1.1 keep-alive at a constant ").append(fmt(s.rate(), 0)).append(" rps, ")
                    .append(rate.connections()).append(" connections: latency in µs (no coordinated omission)\n\n");
            latencyTable(md, v, rate, "proxy CPU cores");
        }

        md.append("### HTTP/2 prior knowledge downstream, HTTP/1.1 upstream, maximum rps (h2load -c16 -m10)\n\n");
        v.table(md, List.of("system", "rps", "vs direct", "vs HAProxy", "proxy CPU s / 1k req",
                "cold rps (first " + s.warmupSeconds() + " s of HTTP/2)", "errors"), system -> List.of(
                system, fmt(v.rps(system, Scenario.HTTP2_MAX_C16), 0),
                v.ratio(system, Scenario.HTTP2_MAX_C16, SystemSpec.DIRECT), v.ratio(system, Scenario.HTTP2_MAX_C16, HAPROXY),
                fmt(v.cpuPer1000(system, Scenario.HTTP2_MAX_C16), 3), fmt(v.rps(system, Scenario.HTTP2_COLD_C16), 0),
                v.errors(system, Scenario.HTTP2_MAX_C16)));

        md.append("### TCP proxying, 4 connections writing 64 KB chunks\n\n");
        v.table(md, List.of("system", "MB/s", "vs direct", "vs HAProxy", "proxy CPU s / GB", "errors"), system -> List.of(
                system, fmt(v.median(system, Scenario.TCP_C4, ScenarioResult::megabytesPerSecond), 0),
                v.ratioOf(system, Scenario.TCP_C4, SystemSpec.DIRECT, ScenarioResult::megabytesPerSecond),
                v.ratioOf(system, Scenario.TCP_C4, HAPROXY, ScenarioResult::megabytesPerSecond),
                fmt(v.median(system, Scenario.TCP_C4, r -> r.cpuSeconds() == null || r.megabytesPerSecond() == null
                        || r.megabytesPerSecond() == 0 ? null
                        : r.cpuSeconds() / (r.megabytesPerSecond() * s.durationSeconds() / 1000)), 2),
                v.errors(system, Scenario.TCP_C4)));

        md.append("### Proxy memory and startup\n\n");
        md.append("RSS counts every resident page; PSS (`/proc/<pid>/smaps_rollup`) divides each shared page among the ")
                .append("processes mapping it, which is what a sidecar costs on a node where sidecars share the same ")
                .append("binaries (and, for a JVM, the JDK's files and CDS archive). PSS is read once after each run; ")
                .append("it depends on what else maps the same files on the machine at the time.\n\n");
        Scenario[] rates = {Scenario.HTTP1_RATE_C16, Scenario.HTTP1_RATE_C64};
        Scenario[] maxLoads = {Scenario.HTTP1_MAX_C16, Scenario.HTTP1_MAX_C64, Scenario.HTTP2_MAX_C16,
                Scenario.GRPC_UNARY_C4_M4};
        v.table(md, List.of("system", "startup to first proxied 200 (ms)", "RSS idle (MB)", "PSS idle (MB)",
                "RSS peak at 1,000 rps (MB)", "PSS after 1,000 rps (MB)", "RSS peak at max load (MB)",
                "PSS after max load (MB)"), system -> List.of(system,
                fmt(v.medianRound(system, SystemRound::startupMillis), 0),
                fmt(mb(v.medianRound(system, r -> r.idleRssKb() == null ? null : r.idleRssKb().doubleValue())), 1),
                fmt(mb(v.medianRound(system, r -> r.idlePssKb() == null ? null : r.idlePssKb().doubleValue())), 1),
                fmt(mb(v.max(system, ScenarioResult::peakRssKb, rates)), 1),
                fmt(mb(v.max(system, ScenarioResult::pssKb, rates)), 1),
                fmt(mb(v.max(system, ScenarioResult::peakRssKb, maxLoads)), 1),
                fmt(mb(v.max(system, ScenarioResult::pssKb, maxLoads)), 1)));

        new SidecarMarkdown(report, v).render(md);

        md.append("### Exact commands\n\n");
        for (RunMeta.SystemView view : m.systems()) {
            md.append("- ").append(view.name()).append(" (").append(view.description()).append(")");
            if (!view.command().isEmpty()) {
                md.append(": `").append(view.command()).append('`');
            }
            md.append('\n');
        }
        report.rounds().stream().filter(r -> r.round() == 1 && !r.system().equals(SystemSpec.DIRECT)).findFirst()
                .or(() -> report.rounds().stream().filter(r -> r.round() == 1).findFirst())
                .ifPresent(first -> first.scenarios()
                .forEach(r -> md.append("- ").append(r.scenario()).append(" (ports differ per system): `")
                        .append(r.command()).append("`\n")));
        md.append('\n');
        return md.toString();
    }

    /** Maximum rps at 16 and 64 connections against direct and HAProxy, CPU per request, and the cold run. */
    static void maxRpsTable(StringBuilder md, RunMedians v, Scenario c16, Scenario c64, Scenario cold, String cpuColumn,
            long warmupSeconds) {
        v.table(md, List.of("system", "c16 rps", "vs direct", "vs HAProxy", "c64 rps", "vs direct", "vs HAProxy",
                cpuColumn, "cold c16 rps (first " + warmupSeconds + " s)", "errors"), system -> List.of(system,
                fmt(v.rps(system, c16), 0), v.ratio(system, c16, SystemSpec.DIRECT), v.ratio(system, c16, HAPROXY),
                fmt(v.rps(system, c64), 0), v.ratio(system, c64, SystemSpec.DIRECT), v.ratio(system, c64, HAPROXY),
                fmt(v.cpuPer1000(system, c64), 3), fmt(v.rps(system, cold), 0), v.errors(system, c16, c64)));
    }

    /**
     * Percentiles at a constant load, what the proxies add over direct, and their CPU meanwhile. The achieved rate
     * shows a system that could not keep up: its percentiles are then mostly queueing.
     */
    static void latencyTable(StringBuilder md, RunMedians v, Scenario scenario, String cpuColumn) {
        v.table(md, List.of("system", "achieved rps", "p50", "p90", "p99", "max", "added p50", "added p90", "added p99",
                cpuColumn, "errors"), system -> List.of(system, fmt(v.rps(system, scenario), 0),
                fmt(v.latency(system, scenario, LatencySummary::p50Micros), 0),
                fmt(v.latency(system, scenario, LatencySummary::p90Micros), 0),
                fmt(v.latency(system, scenario, LatencySummary::p99Micros), 0),
                fmt(v.latency(system, scenario, LatencySummary::maxMicros), 0),
                v.added(system, scenario, LatencySummary::p50Micros), v.added(system, scenario, LatencySummary::p90Micros),
                v.added(system, scenario, LatencySummary::p99Micros), fmt(v.cores(system, scenario), 3),
                v.errors(system, scenario)));
    }
}
