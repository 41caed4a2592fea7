package dev.weft.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point used by bench/run.sh. Options are {@code --name value} pairs; see bench/README.md. Writes
 * {@code <out>/<timestamp>.json} (every round, raw) and {@code <out>/<timestamp>.md} (the tables).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (options == null) {
            System.err.println("""
                    usage: BenchMain --configs DIR --work DIR --out DIR --proxy-java JAVA --proxy-classpath CP
                             [--commit SHA] [--rounds 2] [--duration 10] [--warmup 10] [--rate 1000]
                             [--proxy-cpus 0] [--load-cpus 1] [--systems direct,weft-proxy,...] [--scenarios id,...]
                             [--clock-ticks 100] [--weftd-classpath CP]
                             [--baseline-proxy-classpath CP --baseline-flags 'FLAGS' --baseline-commit SHA]""");
            System.exit(2);
        }
        Path work = Files.createDirectories(Path.of(options.get("work")).toAbsolutePath());
        BenchSettings settings = new BenchSettings(Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "10"))),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10"))),
                Double.parseDouble(options.getOrDefault("rate", "1000")),
                Integer.parseInt(options.getOrDefault("rounds", "2")), options.getOrDefault("proxy-cpus", "0"),
                options.getOrDefault("load-cpus", "1"), "/1kb",
                Long.parseLong(options.getOrDefault("clock-ticks", "100")), work);
        String java = options.get("proxy-java");
        List<SystemSpec> systems = options.containsKey("systems")
                ? select(Systems.withBaseline(Systems.known(java, options.get("proxy-classpath"), work), java, options),
                        options.get("systems"))
                : Systems.comparison(java, options.get("proxy-classpath"));
        List<Scenario> scenarios = options.containsKey("scenarios")
                ? List.of(options.get("scenarios").split(",")).stream().map(Scenario::byId).toList()
                : List.of(Scenario.values());
        if (scenarios.stream().anyMatch(Scenario::isWarmUp) && settings.warmup().toSeconds() < 1) {
            throw new IllegalArgumentException("--warmup must be at least 1 s: the cold run is the warm-up");
        }

        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        RunMeta meta = new RunMeta(now.format(DateTimeFormatter.ISO_INSTANT), HostFacts.cpuModel(),
                HostFacts.cpus(), options.getOrDefault("commit", "unknown"),
                HostFacts.loadAverage(), null, HostFacts.cpuPressure(), null, placement(settings), HostFacts.toolVersions(java),
                RunMeta.BenchSettingsView.of(settings), systems.stream().map(s -> new RunMeta.SystemView(s.name(),
                        s.description(), s.isDirect() ? "" : displayed(settings.pinnedToProxyCpus(s.command()), options)))
                        .toList());
        boolean agents = scenarios.stream().anyMatch(sc -> sc.topology() == Topology.TWO_HOPS_MTLS)
                && systems.stream().anyMatch(sy -> sy.mtlsSidecars() != null
                        && !sy.mtlsSidecars().agentArguments().isEmpty());
        List<SystemRound> rounds;
        try (MeshCa ca = agents && options.containsKey("weftd-classpath")
                ? MeshCa.start(java, options.get("weftd-classpath"), work.resolve("mesh-ca")) : null) {
            rounds = new BenchRun(settings, Path.of(options.get("configs")), systems, scenarios, ca).run();
        }
        BenchReport report = new BenchReport(meta.withMachineStateAfter(HostFacts.loadAverage(), HostFacts.cpuPressure()), rounds);

        Path out = Files.createDirectories(Path.of(options.get("out")));
        String stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve(stamp + ".json").toFile(), report);
        Path markdown = out.resolve(stamp + ".md");
        Files.writeString(markdown, new ResultsMarkdown(report).render());
        System.out.println(markdown);
    }

    /** A command as the report shows it: the long proxy class paths are named rather than spelled out. */
    private static String displayed(List<String> command, Map<String, String> options) {
        String shown = String.join(" ", command).replace(options.get("proxy-classpath"), "$PROXY_CP");
        String baseline = options.get("baseline-proxy-classpath");
        return baseline == null ? shown : shown.replace(baseline, "$BASELINE_CP");
    }

    private static String placement(BenchSettings s) {
        return "system under test on CPU " + (s.proxyCpus().isEmpty() ? "any" : s.proxyCpus())
                + "; load generators, upstream nginx, gRPC server, TCP sink and this harness on CPU "
                + (s.loadCpus().isEmpty() ? "any" : s.loadCpus()) + " (taskset)";
    }

    static List<SystemSpec> select(List<SystemSpec> all, String names) {
        List<SystemSpec> chosen = new ArrayList<>();
        for (String name : names.split(",")) {
            chosen.add(all.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown system " + name)));
        }
        return chosen;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                return null;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        boolean complete = args.length % 2 == 0 && List.of("configs", "work", "out", "proxy-java", "proxy-classpath")
                .stream().allMatch(options::containsKey);
        return complete ? options : null;
    }
}
