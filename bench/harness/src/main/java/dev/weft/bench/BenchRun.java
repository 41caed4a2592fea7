package dev.weft.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs every scenario against every system, taking turns (A B C A B C ...) so that drift on a shared machine
 * falls on all systems alike. Each proxy is started fresh for its turn, which also measures its startup; the
 * two-hop scenarios then run on a fresh pair of the same system's proxies.
 */
final class BenchRun {

    /** How long a freshly started proxy sits before its idle RSS is read. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final BenchSettings settings;
    private final Path configsDir;
    private final List<SystemSpec> systems;
    private final List<Scenario> scenarios;

    private final MeshCa ca;

    /** {@code ca} issues the certificates of sidecars that ask weftd for them (null when none do). */
    BenchRun(BenchSettings settings, Path configsDir, List<SystemSpec> systems, List<Scenario> scenarios, MeshCa ca) {
        this.ca = ca;
        this.settings = settings;
        this.configsDir = configsDir;
        this.systems = List.copyOf(systems);
        this.scenarios = List.copyOf(scenarios);
    }

    List<SystemRound> run() throws InterruptedException {
        List<SystemRound> results = new ArrayList<>();
        ProxyLauncher launcher = new ProxyLauncher(settings, configsDir,
                MeshCertificates.writeTo(settings.workDir().resolve("certs")), ca);
        try (Upstream upstream = Upstream.start(settings, configsDir)) {
            ScenarioRunner runner = new ScenarioRunner(settings, upstream.sink());
            if (scenarios.stream().anyMatch(s -> s.load() == Scenario.Load.GRPC)) {
                warmGrpcClientAndServer(upstream.endpoints());
            }
            // Start and stop each proxy once, so every first measured start finds its binaries in the page cache
            // (and a JVM's CDS archive or AOT cache, when its flags ask for one, already made).
            for (SystemSpec system : systems) {
                if (!system.isDirect()) {
                    launcher.startOneHop(AotTraining.recording(system), upstream.endpoints(), Endpoints.fresh(),
                            "prime").close();
                    AotTraining.assemble(system);
                }
            }
            for (int round = 1; round <= settings.rounds(); round++) {
                for (SystemSpec system : systems) {
                    System.err.printf("round %d/%d: %s%n", round, settings.rounds(), system.name());
                    results.add(system.isDirect()
                            ? directTurn(runner, upstream.endpoints(), round)
                            : proxyTurn(runner, launcher, system, upstream.endpoints(), round));
                }
            }
        }
        return results;
    }

    /**
     * The gRPC client and server run in this JVM: compile them before direct is measured, or direct (first in each
     * round) would measure the harness's own warm-up.
     */
    private void warmGrpcClientAndServer(Endpoints upstream) throws InterruptedException {
        new GrpcUnaryClient(new InetSocketAddress("127.0.0.1", upstream.grpc())).run(
                Scenario.GRPC_UNARY_C4_M4.connections(), ScenarioRunner.GRPC_CALLS_PER_CONNECTION, settings.warmup(),
                ScenarioRunner.GRPC_MAX_CALLS);
    }

    /** Direct runs each selected scenario's direct equivalent once: a two-hop load without proxies is a one-hop one. */
    private SystemRound directTurn(ScenarioRunner runner, Endpoints upstream, int round) throws InterruptedException {
        List<ScenarioResult> measured = new ArrayList<>();
        for (Scenario s : scenarios.stream().map(Scenario::direct).distinct().toList()) {
            measured.add(runner.run(s, upstream, List.of()));
        }
        return new SystemRound(SystemSpec.DIRECT, round, null, null, null, measured);
    }

    private SystemRound proxyTurn(ScenarioRunner runner, ProxyLauncher launcher, SystemSpec system,
            Endpoints upstream, int round) throws InterruptedException {
        String label = "round" + round;
        Double startup = null;
        Long idleRss = null;
        Long idlePss = null;
        List<ScenarioResult> measured = new ArrayList<>();
        for (Topology topology : Topology.values()) {
            List<Scenario> selected = scenarios.stream().filter(s -> s.topology() == topology).toList();
            if (selected.isEmpty()) {
                continue;
            }
            if (topology == Topology.ONE_HOP) {
                Endpoints listen = Endpoints.fresh();
                try (ProxyProcess proxy = launcher.startOneHop(system, upstream, listen, label)) {
                    LockSupport.parkNanos(SETTLE.toNanos());
                    startup = proxy.startupMillis();
                    idleRss = proxy.tree().sample().rssKb();
                    idlePss = proxy.tree().pssKb();
                    for (Scenario s : selected) {
                        measured.add(runner.run(s, listen, List.of(proxy.tree())));
                    }
                }
            } else {
                try (SidecarPair pair = launcher.startPair(system, topology, upstream, label)) {
                    for (Scenario s : selected) {
                        measured.add(runner.run(s, pair.entry(), pair.trees()));
                    }
                }
            }
        }
        return new SystemRound(system.name(), round, startup, idleRss, idlePss, measured);
    }
}
