package dev.weft.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Runs one scenario against one system's endpoints and measures the proxy's CPU and peak RSS meanwhile. */
final class ScenarioRunner {

    private final BenchSettings settings;
    private final TcpSink sink;

    ScenarioRunner(BenchSettings settings, TcpSink sink) {
        this.settings = settings;
        this.sink = sink;
    }

    /** {@code proxy} is null for direct. */
    ScenarioResult run(Scenario scenario, Endpoints endpoints, ProcessTree proxy) throws InterruptedException {
        ProcessUsage before = proxy == null ? null : proxy.sample();
        PeakRssSampler rss = proxy == null ? null : new PeakRssSampler(proxy);
        try {
            Measured m = measure(scenario, endpoints);
            Double cpu = null;
            Long peak = null;
            if (proxy != null) {
                cpu = (proxy.sample().cpuTicks() - before.cpuTicks()) / (double) settings.clockTicksPerSecond();
                peak = rss.peakKb();
            }
            return new ScenarioResult(scenario.id(), m.command, m.requests, m.rps, m.errors, m.latency, m.mbps, cpu,
                    peak);
        } finally {
            if (rss != null) {
                rss.close();
            }
        }
    }

    private record Measured(String command, long requests, double rps, long errors, LatencySummary latency,
            Double mbps) {
    }

    private Measured measure(Scenario scenario, Endpoints endpoints) throws InterruptedException {
        Duration d = scenario.isWarmUp() ? settings.warmup() : settings.duration();
        Duration bound = d.plus(BenchSettings.COMMAND_GRACE);
        return switch (scenario.load()) {
            case CONSTANT_RATE -> {
                ConstantRateClient.Result r = new ConstantRateClient(
                        new InetSocketAddress("127.0.0.1", endpoints.http1()), settings.path())
                        .run(scenario.connections(), settings.rate(), d);
                String command = "ConstantRateClient (in the harness JVM, pinned with it) connections="
                        + scenario.connections() + " rate=" + settings.rate() + "/s duration=" + d.toSeconds() + "s"
                        + " http://127.0.0.1:" + endpoints.http1() + settings.path();
                yield new Measured(command, r.requests(), r.achievedRps(), r.errors(), r.latency(), null);
            }
            case WRK -> {
                ExternalCommand wrk = wrk(scenario.connections(), d, endpoints);
                WrkOutput out = WrkOutput.parse(wrk.run(bound));
                yield new Measured(wrk.display(), out.requests(), out.requestsPerSecond(), out.errors(), null, null);
            }
            case H2LOAD -> {
                ExternalCommand h2load = new ExternalCommand(settings.pinnedToLoadCpus(List.of("h2load",
                        "-c" + scenario.connections(), "-m10", "-t1", "-D", Long.toString(d.toSeconds()),
                        "http://127.0.0.1:" + endpoints.http2() + settings.path())));
                H2loadOutput out = H2loadOutput.parse(h2load.run(bound));
                yield new Measured(h2load.display(), out.succeeded(), out.requestsPerSecond(), out.errors(), null,
                        null);
            }
            case TCP -> {
                TcpThroughputClient.Result r = new TcpThroughputClient(
                        new InetSocketAddress("127.0.0.1", endpoints.tcp()), sink::bytesReceived)
                        .run(scenario.connections(), d);
                String command = "TcpThroughputClient (in the harness JVM) connections=" + scenario.connections()
                        + " duration=" + d.toSeconds() + "s 127.0.0.1:" + endpoints.tcp() + " -> TcpSink";
                yield new Measured(command, 0, 0, r.errors(), null, r.megabytesPerSecond());
            }
        };
    }

    private ExternalCommand wrk(int connections, Duration d, Endpoints endpoints) {
        return new ExternalCommand(settings.pinnedToLoadCpus(List.of("wrk", "-t1", "-c" + connections,
                "-d" + d.toSeconds() + "s", "http://127.0.0.1:" + endpoints.http1() + settings.path())));
    }
}
