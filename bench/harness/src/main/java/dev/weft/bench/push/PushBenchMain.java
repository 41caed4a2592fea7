package dev.weft.bench.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
 * Entry point of bench/push.sh: the control-plane push benchmark at each fleet size. Writes
 * {@code <out>/push-<timestamp>.json} and {@code .md}.
 */
public final class PushBenchMain {

    private PushBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!o.keySet().containsAll(List.of("weftd-java", "weftd-classpath", "work", "out"))) {
            System.err.println("usage: PushBenchMain --weftd-java JAVA --weftd-classpath CP --work DIR --out DIR"
                    + " [--proxies 1000,5000,10000] [--extra-services 100] [--quiet-ms 100] [--max-delay-ms 1000]"
                    + " [--weftd-cpus 0] [--weftd-flags '-Xmx2g'] [--sync-bound-s 300] [--clock-ticks 100] [--commit SHA]");
            System.exit(2);
        }
        Path work = Files.createDirectories(Path.of(o.get("work")).toAbsolutePath());
        String cpus = o.getOrDefault("weftd-cpus", "0");
        String flags = o.getOrDefault("weftd-flags", "").trim();
        PushSettings settings = new PushSettings(o.get("weftd-java"), o.get("weftd-classpath"),
                flags.isEmpty() ? List.of() : List.of(flags.split("\\s+")),
                cpus.isEmpty() ? List.of() : List.of("taskset", "-c", cpus),
                Integer.parseInt(o.getOrDefault("extra-services", "100")),
                Duration.ofMillis(Long.parseLong(o.getOrDefault("quiet-ms", "100"))),
                Duration.ofMillis(Long.parseLong(o.getOrDefault("max-delay-ms", "1000"))),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("sync-bound-s", "300"))), Duration.ofSeconds(3),
                Duration.ofSeconds(120),
                Long.parseLong(o.getOrDefault("clock-ticks", "100")), work);
        List<PushResult> results = new ArrayList<>();
        for (String n : o.getOrDefault("proxies", "1000,5000,10000").split(",")) {
            System.err.println("push benchmark: " + n + " proxies");
            results.add(new PushBench(settings).run(Integer.parseInt(n.trim())));
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String header = "## Control-plane push, " + now.format(DateTimeFormatter.ISO_INSTANT) + "\n\n"
                + "- Commit `" + o.getOrDefault("commit", "unknown") + "`; weftd on CPU " + (cpus.isEmpty() ? "any" : cpus)
                + ", simulated proxies (this JVM, " + "100 ADS streams per gRPC channel) on the other\n"
                + "- Config: Bookinfo (4 services, reviews v1-v3, DestinationRules, VirtualServices) plus "
                + settings.extraServices() + " services with a VirtualService each; change: reviews VirtualService "
                + "v1 -> 50/50 v1/v3 through POST /apply\n"
                + "- Debounce: quiet period " + settings.quietPeriod().toMillis() + " ms, max delay "
                + settings.maxDelay().toMillis() + " ms; \"after debounce\" subtracts the quiet period\n"
                + "- Heap per proxy: (live heap after a full GC with the fleet synced - before it connected) / proxies\n\n";
        Path out = Files.createDirectories(Path.of(o.get("out")));
        String stamp = "push-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(stamp + ".json").toFile(),
                results);
        Path md = out.resolve(stamp + ".md");
        Files.writeString(md, PushMarkdown.render(header, results));
        System.out.println(md);
    }
}
