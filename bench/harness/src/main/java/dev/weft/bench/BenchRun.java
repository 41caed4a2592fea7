package dev.weft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

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

    BenchRun(BenchSettings settings, Path configsDir, List<SystemSpec> systems, List<Scenario> scenarios) {
        this.settings = settings;
        this.configsDir = configsDir;
        this.systems = List.copyOf(systems);
        this.scenarios = List.copyOf(scenarios);
    }

    List<SystemRound> run() throws InterruptedException {
        List<SystemRound> results = new ArrayList<>();
        MeshCertificates certificates = MeshCertificates.writeTo(settings.workDir().resolve("certs"));
        try (Upstream upstream = Upstream.start(settings, configsDir)) {
            ScenarioRunner runner = new ScenarioRunner(settings, upstream.sink());
            if (scenarios.stream().anyMatch(s -> s.load() == Scenario.Load.GRPC)) {
                warmGrpcClientAndServer(upstream.endpoints());
            }
            for (SystemSpec system : systems) {
                if (!system.isDirect()) {
                    prime(system, upstream.endpoints(), certificates);
                }
            }
            for (int round = 1; round <= settings.rounds(); round++) {
                for (SystemSpec system : systems) {
                    System.err.printf("round %d/%d: %s%n", round, settings.rounds(), system.name());
                    results.add(system.isDirect()
                            ? directTurn(runner, upstream.endpoints(), round)
                            : proxyTurn(runner, system, upstream.endpoints(), certificates, round));
                }
            }
        }
        return results;
    }

    /**
     * Starts and stops a proxy once before round 1, so every system's first measured start finds its binaries in
     * the page cache (and a JVM's CDS archive, when its flags ask for one, already written).
     */
    private void prime(SystemSpec system, Endpoints upstream, MeshCertificates certificates) {
        Endpoints listen = Endpoints.fresh();
        startProxy(system, system.configTemplate(), "one-hop", upstream, listen, certificates, "prime",
                ProxyProcess.servesAndAccepts(listen, settings.path())).close();
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

    private SystemRound proxyTurn(ScenarioRunner runner, SystemSpec system, Endpoints upstream,
            MeshCertificates certificates, int round) throws InterruptedException {
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
                try (ProxyProcess proxy = startProxy(system, system.configTemplate(), "one-hop", upstream, listen,
                        certificates, label, ProxyProcess.servesAndAccepts(listen, settings.path()))) {
                    LockSupport.parkNanos(SETTLE.toNanos());
                    startup = proxy.startupMillis();
                    idleRss = proxy.tree().sample().rssKb();
                    idlePss = proxy.tree().pssKb();
                    for (Scenario s : selected) {
                        measured.add(runner.run(s, listen, List.of(proxy.tree())));
                    }
                }
            } else {
                try (SidecarPair pair = startPair(system, topology, upstream, certificates, label)) {
                    for (Scenario s : selected) {
                        measured.add(runner.run(s, pair.entry(), pair.trees()));
                    }
                }
            }
        }
        return new SystemRound(system.name(), round, startup, idleRss, idlePss, measured);
    }

    /**
     * Starts the inbound sidecar in front of the upstream, then the outbound one in front of it. The outbound one is
     * ready when a request through both hops gets a 200, so a mutual-TLS setup that does not handshake fails here.
     */
    private SidecarPair startPair(SystemSpec system, Topology topology, Endpoints upstream,
            MeshCertificates certificates, String label) {
        boolean mtls = topology == Topology.TWO_HOPS_MTLS;
        String inboundTemplate = mtls ? system.mtlsSidecars().inbound() : system.configTemplate();
        String outboundTemplate = mtls ? system.mtlsSidecars().outbound() : system.configTemplate();
        String suffix = mtls ? "-mtls" : "-plain";
        Endpoints inboundListen = Endpoints.fresh();
        ProxyProcess inbound = startProxy(system, inboundTemplate, "inbound" + suffix, upstream, inboundListen,
                certificates, label, mtls ? ProxyProcess.acceptsOn(inboundListen.http1())
                        : ProxyProcess.serves(inboundListen.http1(), settings.path()));
        try {
            Endpoints outboundListen = Endpoints.fresh();
            Endpoints nextHop = new Endpoints(inboundListen.http1(), upstream.http2(), upstream.tcp(), upstream.grpc());
            ProxyProcess outbound = startProxy(system, outboundTemplate, "outbound" + suffix, nextHop, outboundListen,
                    certificates, label, ProxyProcess.serves(outboundListen.http1(), settings.path()));
            return new SidecarPair(outbound, inbound, outboundListen);
        } catch (RuntimeException e) {
            inbound.close();
            throw e;
        }
    }

    private ProxyProcess startProxy(SystemSpec system, String template, String role, Endpoints upstream,
            Endpoints listen, MeshCertificates certificates, String label, BooleanSupplier ready) {
        String instance = system.name() + "-" + role;
        Map<String, String> values = new HashMap<>(certificates.templateValues());
        values.put("workdir", settings.workDir().toString());
        values.put("instance", instance);
        values.put("listen_http1", Integer.toString(listen.http1()));
        values.put("listen_http2", Integer.toString(listen.http2()));
        values.put("listen_tcp", Integer.toString(listen.tcp()));
        values.put("listen_grpc", Integer.toString(listen.grpc()));
        values.put("upstream_http1", Integer.toString(upstream.http1()));
        values.put("upstream_grpc", Integer.toString(upstream.grpc()));
        values.put("sink", Integer.toString(upstream.tcp()));
        Path config = settings.workDir().resolve(instance + "-" + template);
        try {
            Files.writeString(config, ConfigTemplate.render(Files.readString(configsDir.resolve(template)), values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.put("config", config.toString());
        List<String> command = settings.pinnedToProxyCpus(
                system.command().stream().map(arg -> ConfigTemplate.render(arg, values)).toList());
        return ProxyProcess.start(command, ready, settings.workDir().resolve(instance + "-" + label + ".log"));
    }
}
