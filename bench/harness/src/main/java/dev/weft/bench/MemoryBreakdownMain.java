package dev.weft.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Where a weft-proxy sidecar's memory goes. Starts {@code --sidecars} one-hop proxies of each chosen system with
 * Native Memory Tracking, lets them idle, and reads each one's RSS, PSS (shared pages divided among the sidecars, as
 * on a node) and NMT summary; then loads the first at {@code --rate} for {@code --duration} and reads it again; and
 * counts its loaded classes by library. Writes {@code <out>/memory-<stamp>.md}. NMT itself costs a few MB (its own
 * row), and its summary mode a little CPU: these runs are for the breakdown, bench/run.sh for the footprint.
 *
 * <p>Usage: {@code MemoryBreakdownMain --configs DIR --work DIR --out DIR --proxy-java JAVA --proxy-classpath CP
 * [--systems weft-proxy-tuned,...] [--sidecars 4] [--settle 10] [--rate 1000] [--duration 20] [--proxy-cpus 0]
 * [--load-cpus 1] [--commit SHA]}.
 */
public final class MemoryBreakdownMain {

    private static final String NMT = "-XX:NativeMemoryTracking=summary";

    /** One proxy's memory at one moment. */
    record Reading(long rssKb, long pssKb, NativeMemorySummary nmt) {
    }

    private MemoryBreakdownMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchMain.parse(args);
        if (options == null) {
            System.err.println("usage: see the class comment of dev.weft.bench.MemoryBreakdownMain");
            System.exit(2);
        }
        Path work = Files.createDirectories(Path.of(options.get("work")).toAbsolutePath());
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "20")));
        double rate = Double.parseDouble(options.getOrDefault("rate", "1000"));
        BenchSettings settings = new BenchSettings(duration, Duration.ofSeconds(1), rate, 1,
                options.getOrDefault("proxy-cpus", "0"), options.getOrDefault("load-cpus", "1"), "/1kb", 100, work);
        String java = options.get("proxy-java");
        int sidecars = Integer.parseInt(options.getOrDefault("sidecars", "4"));
        Duration settle = Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle", "10")));
        String before = "load " + HostFacts.loadAverage() + ", CPU pressure " + HostFacts.cpuPressure();
        StringBuilder md = new StringBuilder("# Where a sidecar's memory goes (" + ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_INSTANT) + ", commit `" + options.getOrDefault("commit", "unknown")
                + "`)\n\nMachine before: " + before + ". " + sidecars + " one-hop sidecars per system, idle for "
                + settle.toSeconds() + " s; then the first at " + (long) rate + " rps for " + duration.toSeconds()
                + " s. KB from /proc and `jcmd VM.native_memory summary` (committed).\n");
        Path configs = Path.of(options.get("configs"));
        ProxyLauncher launcher = new ProxyLauncher(settings, configs, MeshCertificates.writeTo(work.resolve("certs")),
                null);
        try (Upstream upstream = Upstream.start(settings, configs)) {
            for (SystemSpec system : BenchMain.select(Systems.withBaseline(Systems.known(java,
                    options.get("proxy-classpath"), work), java, options),
                    options.getOrDefault("systems", "weft-proxy-tuned"))) {
                // As BenchRun primes: binaries in the page cache, the AOT cache made when the system maps one.
                launcher.startOneHop(AotTraining.recording(system), upstream.endpoints(), Endpoints.fresh(), "prime")
                        .close();
                AotTraining.assemble(system);
                md.append(measure(withNmt(system), sidecars, settle, settings, launcher, upstream, java));
            }
        }
        md.append("\nMachine after: load ").append(HostFacts.loadAverage()).append(", CPU pressure ")
                .append(HostFacts.cpuPressure()).append(".\n");
        Path out = Files.createDirectories(Path.of(options.get("out")));
        Path file = out.resolve("memory-" + ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        Files.writeString(file, md);
        System.out.println(file);
    }

    private static SystemSpec withNmt(SystemSpec system) {
        List<String> command = new ArrayList<>(system.command());
        command.add(1, NMT);
        return system.withCommand(command);
    }

    private static String measure(SystemSpec system, int count, Duration settle, BenchSettings settings,
            ProxyLauncher launcher, Upstream upstream, String java) throws Exception {
        List<ProxyProcess> proxies = new ArrayList<>();
        List<Endpoints> listens = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Endpoints listen = Endpoints.fresh();
                proxies.add(launcher.startOneHop(system, upstream.endpoints(), listen, "memory-" + i));
                listens.add(listen);
            }
            Thread.sleep(settle.toMillis());
            List<Reading> idle = new ArrayList<>();
            for (ProxyProcess p : proxies) {
                idle.add(read(p, java));
            }
            String classes = jcmd(java, proxies.getFirst(), "VM.classes");
            ConstantRateClient.Result load = new ConstantRateClient(new InetSocketAddress("127.0.0.1",
                    listens.getFirst().http1()), settings.path()).run(16, settings.rate(), settings.duration());
            Reading loaded = read(proxies.getFirst(), java);
            return table(system, idle, loaded, load, ClassCensus.count(classes));
        } finally {
            proxies.forEach(ProxyProcess::close);
        }
    }

    private static Reading read(ProxyProcess proxy, String java) throws IOException, InterruptedException {
        return new Reading(proxy.tree().sample().rssKb(), proxy.tree().pssKb(),
                NativeMemorySummary.parse(jcmd(java, proxy, "VM.native_memory", "summary", "scale=KB")));
    }

    private static String jcmd(String java, ProxyProcess proxy, String... command)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(java).resolveSibling("jcmd").toString(),
                Long.toString(proxy.pid())));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static String table(SystemSpec system, List<Reading> idle, Reading loaded, ConstantRateClient.Result load,
            Map<String, Long> classes) {
        StringBuilder md = new StringBuilder("\n## ").append(system.name()).append(" (").append(system.description())
                .append(")\n\n| KB | ");
        for (int i = 0; i < idle.size(); i++) {
            md.append("idle #").append(i + 1).append(" | ");
        }
        md.append(String.format("#1 at %.0f rps |%n|---|", load.achievedRps()))
                .append("---:|".repeat(idle.size() + 1)).append('\n');
        Map<String, java.util.function.ToLongFunction<Reading>> rows = new LinkedHashMap<>();
        rows.put("RSS", Reading::rssKb);
        rows.put("PSS", Reading::pssKb);
        rows.put("NMT committed, total", r -> r.nmt().totalCommittedKb());
        rows.put("RSS not tracked by NMT (native libraries, mapped files)",
                r -> Math.max(0, r.rssKb() - r.nmt().totalCommittedKb()));
        TreeSet<String> categories = new TreeSet<>();
        idle.forEach(r -> categories.addAll(r.nmt().committedKb().keySet()));
        categories.addAll(loaded.nmt().committedKb().keySet());
        for (String c : categories) {
            rows.put("NMT " + c, r -> r.nmt().committed(c));
        }
        rows.put("metaspace used", r -> r.nmt().metaspaceUsedKb());
        rows.put("class space used", r -> r.nmt().classSpaceUsedKb());
        rows.put("loaded classes (count)", r -> r.nmt().classes());
        rows.put("threads (count)", r -> r.nmt().threads());
        rows.forEach((name, value) -> {
            md.append("| ").append(name).append(" | ");
            idle.forEach(r -> md.append(value.applyAsLong(r)).append(" | "));
            md.append(value.applyAsLong(loaded)).append(" |\n");
        });
        md.append(String.format("%nLoad: %d requests, %d errors.%n%n| classes loaded by #1, by origin | count |%n"
                + "|---|---:|%n", load.requests(), load.errors()));
        classes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> md.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n"));
        return md.toString();
    }
}
