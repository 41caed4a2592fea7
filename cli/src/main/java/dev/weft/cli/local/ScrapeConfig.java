package dev.weft.cli.local;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code prometheus.yml} of a local mesh: Istio's jobs, {@code envoy-stats} for every proxy's
 * {@code /stats/prometheus} and {@code pilot} for weftd's {@code /metrics}, each target labelled with what a
 * Kubernetes pod's discovery would give it ({@code namespace}, {@code pod}, {@code app}), scraped every second.
 */
public final class ScrapeConfig {

  static final String PROXY_JOB = "envoy-stats";
  static final String PILOT_JOB = "pilot";

  /** One target: {@code host:port} with its target labels. */
  public record Target(String job, String address, Map<String, String> labels) {
    public Target {
      labels = new TreeMap<>(labels);
    }
  }

  private ScrapeConfig() {}

  public static String yaml(List<Target> targets) {
    StringBuilder yaml = new StringBuilder("""
        # Written by weft up --with-observability; regenerated on every start.
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        scrape_configs:
        """);
    for (String job : List.of(PROXY_JOB, PILOT_JOB)) {
      List<Target> ofJob = targets.stream().filter(t -> t.job().equals(job)).toList();
      if (ofJob.isEmpty()) {
        continue;
      }
      yaml.append("- job_name: ").append(job).append('\n')
          .append("  metrics_path: ").append(job.equals(PROXY_JOB) ? "/stats/prometheus" : "/metrics").append('\n')
          .append("  static_configs:\n");
      for (Target target : ofJob) {
        yaml.append("  - targets: [").append(quoted(target.address())).append("]\n")
            .append("    labels: {").append(target.labels().entrySet().stream()
                .map(e -> e.getKey() + ": " + quoted(e.getValue())).collect(Collectors.joining(", "))).append("}\n");
      }
    }
    return yaml.toString();
  }

  /** A YAML double-quoted string (names and addresses hold no quote or backslash, but say so safely). */
  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
