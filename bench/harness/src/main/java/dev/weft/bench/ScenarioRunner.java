package dev.weft.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Runs one scenario against one system's endpoints and measures its proxies' CPU, peak RSS and PSS meanwhile. */
final class ScenarioRunner {

    /** gRPC calls before measuring, so a JVM proxy's HTTP/2 upstream path is compiled like its downstream one. */
    static final Duration GRPC_WARM_UP = Duration.ofSeconds(2);
    /** In-flight unary calls per gRPC connection. */
    static final int GRPC_CALLS_PER_CONNECTION = 4;
    /** A bound on the calls of one gRPC run, whatever its length. */
    static final long GRPC_MAX_CALLS = 5_000_000;

    private final BenchSettings settings;
    private final TcpSink sink;

    ScenarioRunner(BenchSettings settings, TcpSink sink) {
        this.settings = settings;
        this.sink = sink;
    }

    /** {@code proxies} is empty for direct, one tree for one hop, two for two hops. */
    ScenarioResult run(Scenario scenario, Endpoints endpoints, List<ProcessTree> proxies) throws InterruptedException {
        if (scenario.load() == Scenario.Load.GRPC) {
            grpcClient(endpoints).run(scenario.connections(), GRPC_CALLS_PER_CONNECTION, GRPC_WARM_UP, GRPC_MAX_CALLS);
        }
        long cpuBefore = cpuTicks(proxies);
        List<PeakRssSampler> samplers = proxies.stream().map(PeakRssSampler::new).toList();
        try {
            Measured m = measure(scenario, endpoints);
            if (proxies.isEmpty()) {
                return new ScenarioResult(scenario.id(), m.command, m.requests, m.rps, m.errors, m.latency, m.mbps,
                        null, null, null);
            }
            double cpu = (cpuTicks(proxies) - cpuBefore) / (double) settings.clockTicksPerSecond();
            long peak = samplers.stream().mapToLong(PeakRssSampler::peakKb).max().orElseThrow();
            long pss = proxies.stream().mapToLong(ProcessTree::pssKb).max().orElseThrow();
            return new ScenarioResult(scenario.id(), m.command, m.requests, m.rps, m.errors, m.latency, m.mbps, cpu,
                    peak, pss);
        } finally {
            samplers.forEach(PeakRssSampler::close);
        }
    }

    private static long cpuTicks(List<ProcessTree> proxies) {
        return proxies.stream().mapToLong(p -> p.sample().cpuTicks()).sum();
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
                ExternalCommand wrk = new ExternalCommand(settings.pinnedToLoadCpus(List.of("wrk", "-t1",
                        "-c" + scenario.connections(), "-d" + d.toSeconds() + "s",
                        "http://127.0.0.1:" + endpoints.http1() + settings.path())));
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
            case GRPC -> {
                GrpcUnaryClient.Result r = grpcClient(endpoints).run(scenario.connections(), GRPC_CALLS_PER_CONNECTION,
                        d, GRPC_MAX_CALLS);
                String command = "GrpcUnaryClient (grpc-java in the harness JVM, pinned with it) connections="
                        + scenario.connections() + " callsPerConnection=" + GRPC_CALLS_PER_CONNECTION + " duration="
                        + d.toSeconds() + "s after a " + GRPC_WARM_UP.toSeconds() + " s warm-up, h2c 127.0.0.1:"
                        + endpoints.grpc() + " " + GrpcBenchService.UNARY.getFullMethodName();
                yield new Measured(command, r.calls(), r.callsPerSecond(), r.errors(), r.latency(), null);
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

    private static GrpcUnaryClient grpcClient(Endpoints endpoints) {
        return new GrpcUnaryClient(new InetSocketAddress("127.0.0.1", endpoints.grpc()));
    }
}
