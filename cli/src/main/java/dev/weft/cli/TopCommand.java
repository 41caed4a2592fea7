package dev.weft.cli;

import dev.weft.cli.local.Probe;
import dev.weft.cli.local.ProcessRecord;
import dev.weft.cli.local.Role;
import dev.weft.cli.metrics.PrometheusText;
import dev.weft.cli.metrics.Sample;
import dev.weft.cli.metrics.ServiceTraffic;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft top} (linkerd viz stat): each destination service's request rate, success rate and latency, from what
 * every sidecar counted as the destination over the last interval. It reads the proxies' own
 * {@code /stats/prometheus} twice, an interval apart, so no Prometheus is needed.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = {"Per destination service: requests per second, success rate (not 5xx), p50 and p99 latency,",
        "from the sidecars' istio_requests_total and istio_request_duration_milliseconds over each interval.",
        "Refreshes until Ctrl-C; --once prints one table. Exit status: 0 shown, 1 no sidecar answered, 3 no mesh."})
final class TopCommand implements Callable<Integer> {

  /** Clears an ANSI terminal and homes the cursor, so each table replaces the last. */
  private static final String CLEAR = "\033[H\033[2J";

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
      description = "Time between the two scrapes of each table, e.g. 500ms, 2s, 1m (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--once", description = "Print one table, after one interval, and exit.")
  boolean once;

  private final Probe probe = new Probe();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    StateDirOption.Found read = state.running(out, spec.commandLine().getErr());
    if (read.state().isEmpty()) {
      return read.exitCode();
    }
    List<ProcessRecord> sidecars = read.state().get().processes().stream().filter(p -> p.role() == Role.SIDECAR).toList();
    Map<String, List<Sample>> before = scrape(sidecars);
    long startedNanos = System.nanoTime();
    while (true) {
      Thread.sleep(interval);
      Map<String, List<Sample>> after = scrape(sidecars);
      long nowNanos = System.nanoTime();
      if (after.isEmpty()) {
        spec.commandLine().getErr().println("weft: no sidecar answered /stats/prometheus; is the mesh up? (weft status)");
        return 1;
      }
      List<ServiceTraffic.Row> rows = ServiceTraffic.between(before, after, Duration.ofNanos(nowNanos - startedNanos));
      if (!once) {
        out.print(CLEAR);
      }
      print(out, rows, after.size(), sidecars.size());
      if (once) {
        return 0;
      }
      before = after;
      startedNanos = nowNanos;
    }
  }

  /** Each answering sidecar's samples, by process name; one that does not answer is left out. */
  private Map<String, List<Sample>> scrape(List<ProcessRecord> sidecars) {
    Map<String, List<Sample>> samples = new HashMap<>();
    for (ProcessRecord sidecar : sidecars) {
      probe.body(sidecar.admin() + "/stats/prometheus")
          .ifPresent(body -> samples.put(sidecar.name(), PrometheusText.parse(body, ServiceTraffic::wanted)));
    }
    return samples;
  }

  private void print(PrintWriter out, List<ServiceTraffic.Row> rows, int answered, int sidecars) {
    List<List<String>> table = new ArrayList<>();
    table.add(List.of("SERVICE", "RPS", "SUCCESS", "P50", "P99"));
    for (ServiceTraffic.Row row : rows) {
      table.add(List.of(row.service(), String.format(Locale.ROOT, "%.1f", row.requestsPerSecond()),
          percent(row.successRate()), millis(row.p50Millis()), millis(row.p99Millis())));
    }
    out.printf(Locale.ROOT, "destination services over %s (%d of %d sidecars answered)%n", text(interval), answered,
        sidecars);
    Table.print(out, table);
    out.flush();
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.2f%%", share * 100);
  }

  private static String millis(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1fms", value);
  }

  private static String text(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
  }

  /** {@code 500ms}, {@code 2s}, {@code 1m}: a positive duration as users write it. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m)");

    @Override
    public Duration convert(String value) {
      Matcher m = FORM.matcher(value.strip());
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration such as 500ms, 2s"
            + " or 1m");
      }
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMinutes(amount);
      };
    }
  }
}
