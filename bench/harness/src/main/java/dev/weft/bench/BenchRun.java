package dev.weft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs every scenario against every system, taking turns (A B C A B C ...) so that drift on a shared machine
 * falls on all systems alike. Each proxy is started fresh for its turn, which also measures its startup.
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
        try (Upstream upstream = Upstream.start(settings, configsDir)) {
            ScenarioRunner runner = new ScenarioRunner(settings, upstream.sink());
            for (SystemSpec system : systems) {
                if (!system.isDirect()) {
                    prime(system, upstream.endpoints());
                }
            }
            for (int round = 1; round <= settings.rounds(); round++) {
                for (SystemSpec system : systems) {
                    System.err.printf("round %d/%d: %s%n", round, settings.rounds(), system.name());
                    results.add(system.isDirect()
                            ? directTurn(runner, upstream.endpoints(), round)
                            : proxyTurn(runner, system, upstream.endpoints(), round));
                }
            }
        }
        return results;
    }

    /**
     * Starts and stops a proxy once before round 1, so every system's first measured start finds its binaries in
     * the page cache (and a JVM's CDS archive, when its flags ask for one, already written).
     */
    private void prime(SystemSpec system, Endpoints upstream) {
        Endpoints listen = Endpoints.fresh();
        startProxy(system, upstream, listen, "prime").close();
    }

    private SystemRound directTurn(ScenarioRunner runner, Endpoints upstream, int round) throws InterruptedException {
        List<ScenarioResult> measured = new ArrayList<>();
        for (Scenario s : scenarios) {
            measured.add(runner.run(s, upstream, null));
        }
        return new SystemRound(SystemSpec.DIRECT, round, null, null, measured);
    }

    private SystemRound proxyTurn(ScenarioRunner runner, SystemSpec system, Endpoints upstream, int round)
            throws InterruptedException {
        Endpoints listen = Endpoints.fresh();
        try (ProxyProcess proxy = startProxy(system, upstream, listen, "round" + round)) {
            LockSupport.parkNanos(SETTLE.toNanos());
            long idleRss = proxy.tree().sample().rssKb();
            List<ScenarioResult> measured = new ArrayList<>();
            for (Scenario s : scenarios) {
                measured.add(runner.run(s, listen, proxy.tree()));
            }
            return new SystemRound(system.name(), round, proxy.startupMillis(), idleRss, measured);
        }
    }

    private ProxyProcess startProxy(SystemSpec system, Endpoints upstream, Endpoints listen, String label) {
        Map<String, String> values = new HashMap<>();
        values.put("workdir", settings.workDir().toString());
        values.put("listen_http1", Integer.toString(listen.http1()));
        values.put("listen_http2", Integer.toString(listen.http2()));
        values.put("listen_tcp", Integer.toString(listen.tcp()));
        values.put("upstream_http1", Integer.toString(upstream.http1()));
        values.put("sink", Integer.toString(upstream.tcp()));
        Path config = settings.workDir().resolve(system.name() + "-" + system.configTemplate());
        try {
            Files.writeString(config, ConfigTemplate.render(Files.readString(configsDir.resolve(system.configTemplate())),
                    values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.put("config", config.toString());
        List<String> command = settings.pinnedToProxyCpus(
                system.command().stream().map(arg -> ConfigTemplate.render(arg, values)).toList());
        return ProxyProcess.start(command, listen, settings.path(),
                settings.workDir().resolve(system.name() + "-" + label + ".log"));
    }
}
