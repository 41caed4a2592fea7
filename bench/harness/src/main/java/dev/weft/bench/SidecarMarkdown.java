package dev.weft.bench;

import static dev.weft.bench.RunMedians.HAPROXY;
import static dev.weft.bench.RunMedians.fmt;
import static dev.weft.bench.RunMedians.mb;

import java.util.List;

/**
 * The report's sections for the sidecar-to-sidecar hop (mutual TLS, and plain HTTP to separate the TLS cost from
 * the hop cost) and for gRPC unary; each appears only when the run measured it. CPU of a two-hop scenario is both
 * sidecars' together, memory is per sidecar (the larger of the two).
 */
final class SidecarMarkdown {

    private final BenchReport report;
    private final RunMedians v;

    SidecarMarkdown(BenchReport report, RunMedians v) {
        this.report = report;
        this.v = v;
    }

    void render(StringBuilder md) {
        RunMeta.BenchSettingsView s = report.meta().settings();
        if (measured(Topology.TWO_HOPS_MTLS)) {
            mtls(md, s);
        }
        if (measured(Topology.TWO_HOPS_PLAIN)) {
            plain(md, s);
        }
        if (measured(Scenario.GRPC_UNARY_C4_M4)) {
            grpc(md);
        }
    }

    private void mtls(StringBuilder md, RunMeta.BenchSettingsView s) {
        md.append("### Sidecar to sidecar with mutual TLS: client → outbound sidecar → inbound sidecar → upstream\n\n");
        md.append("Plain HTTP/1.1 keep-alive from the client to the outbound sidecar, mutual TLS with HTTP/1.1 (ALPN ")
                .append("`http/1.1`) between the sidecars, plain HTTP/1.1 to the upstream; certificates with SPIFFE URI ")
                .append("SANs made for the run. Both sidecars of a system run on the proxy CPUs; CPU is the two together. ")
                .append("Direct is the same load straight to the upstream (the one-hop direct run).\n\n");
        ResultsMarkdown.maxRpsTable(md, v, Scenario.MTLS_MAX_C16, Scenario.MTLS_MAX_C64, Scenario.MTLS_COLD_C16,
                "CPU s / 1k req, both sidecars (c64)", s.warmupSeconds());
        md.append("Mutual TLS, two hops, at a constant ").append(fmt(s.rate(), 0))
                .append(" rps over 16 connections: latency in µs (added = both hops together)\n\n");
        ResultsMarkdown.latencyTable(md, v, Scenario.MTLS_RATE_C16, "CPU cores, both sidecars");
        md.append("Memory per sidecar (the larger of the two):\n\n");
        v.table(md, proxies(), List.of("system", "RSS peak at 1,000 rps (MB)", "RSS peak at max load (MB)",
                "PSS after max load (MB)"), system -> List.of(system,
                fmt(mb(v.max(system, ScenarioResult::peakRssKb, Scenario.MTLS_RATE_C16)), 1),
                fmt(mb(v.max(system, ScenarioResult::peakRssKb, Scenario.MTLS_MAX_C16, Scenario.MTLS_MAX_C64)), 1),
                fmt(mb(v.max(system, ScenarioResult::pssKb, Scenario.MTLS_MAX_C16, Scenario.MTLS_MAX_C64)), 1)));
    }

    private void plain(StringBuilder md, RunMeta.BenchSettingsView s) {
        md.append("### Two hops without TLS: the hop cost, and what mutual TLS adds to it\n\n");
        md.append("The same chain with plain HTTP/1.1 between the sidecars (each runs the one-hop config). ")
                .append("The last two columns compare the mutual-TLS chain with this one.\n\n");
        v.table(md, List.of("system", "c64 rps", "vs direct", "vs HAProxy", "CPU s / 1k req, both (c64)",
                "p50 at " + fmt(s.rate(), 0) + " rps", "p99", "added p50", "added p99", "mTLS c64 rps / plain",
                "mTLS CPU s / 1k req − plain"), system -> List.of(system,
                fmt(v.rps(system, Scenario.PLAIN2_MAX_C64), 0),
                v.ratio(system, Scenario.PLAIN2_MAX_C64, SystemSpec.DIRECT),
                v.ratio(system, Scenario.PLAIN2_MAX_C64, HAPROXY),
                fmt(v.cpuPer1000(system, Scenario.PLAIN2_MAX_C64), 3),
                fmt(v.latency(system, Scenario.PLAIN2_RATE_C16, LatencySummary::p50Micros), 0),
                fmt(v.latency(system, Scenario.PLAIN2_RATE_C16, LatencySummary::p99Micros), 0),
                v.added(system, Scenario.PLAIN2_RATE_C16, LatencySummary::p50Micros),
                v.added(system, Scenario.PLAIN2_RATE_C16, LatencySummary::p99Micros),
                system.equals(SystemSpec.DIRECT) ? "–"
                        : RunMedians.ratio(v.rps(system, Scenario.MTLS_MAX_C64), v.rps(system, Scenario.PLAIN2_MAX_C64)),
                tlsCpu(system)));
    }

    private String tlsCpu(String system) {
        Double mtls = v.cpuPer1000(system, Scenario.MTLS_MAX_C64);
        Double plain = v.cpuPer1000(system, Scenario.PLAIN2_MAX_C64);
        return mtls == null || plain == null ? "–" : fmt(mtls - plain, 3);
    }

    private void grpc(StringBuilder md) {
        md.append("### gRPC unary (grpc-java client and server, h2c prior knowledge on both sides)\n\n");
        md.append(Scenario.GRPC_UNARY_C4_M4.connections()).append(" connections with ")
                .append(ScenarioRunner.GRPC_CALLS_PER_CONNECTION).append(" calls in flight each (closed loop), a ")
                .append(Upstream.BODY_BYTES).append(" B response, after a ")
                .append(ScenarioRunner.GRPC_WARM_UP.toSeconds()).append(" s warm-up; latency in µs from start to close of a call.\n\n");
        Scenario g = Scenario.GRPC_UNARY_C4_M4;
        v.table(md, List.of("system", "calls/s", "vs direct", "vs HAProxy", "p50", "p90", "p99", "added p50",
                "added p99", "proxy CPU s / 1k calls", "errors"), system -> List.of(system,
                fmt(v.rps(system, g), 0), v.ratio(system, g, SystemSpec.DIRECT), v.ratio(system, g, HAPROXY),
                fmt(v.latency(system, g, LatencySummary::p50Micros), 0),
                fmt(v.latency(system, g, LatencySummary::p90Micros), 0),
                fmt(v.latency(system, g, LatencySummary::p99Micros), 0),
                v.added(system, g, LatencySummary::p50Micros), v.added(system, g, LatencySummary::p99Micros),
                fmt(v.cpuPer1000(system, g), 3), v.errors(system, g)));
    }

    private List<String> proxies() {
        return v.systems().stream().filter(system -> !system.equals(SystemSpec.DIRECT)).toList();
    }

    private boolean measured(Topology topology) {
        return report.rounds().stream().flatMap(r -> r.scenarios().stream())
                .anyMatch(r -> Scenario.byId(r.scenario()).topology() == topology);
    }

    private boolean measured(Scenario scenario) {
        return report.rounds().stream().flatMap(r -> r.scenarios().stream())
                .anyMatch(r -> r.scenario().equals(scenario.id()));
    }
}
