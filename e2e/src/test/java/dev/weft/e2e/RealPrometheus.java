package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Debian's Prometheus (CI installs it; a missing binary fails the test), started on loopback with a scrape config for
 * the given targets every second, and queried over its HTTP API as Grafana would.
 */
final class RealPrometheus implements AutoCloseable {

  /** One scrape target: a proxy or weftd, by {@code host:port} and metrics path. */
  record Target(String job, String address, String path) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final String url;

  private RealPrometheus(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  static RealPrometheus start(Path dir, List<Target> targets) {
    try {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      Path config = Files.writeString(dir.resolve("prometheus.yml"), config(targets));
      Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      RealPrometheus prometheus = new RealPrometheus(process, "http://127.0.0.1:" + port);
      await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(prometheus.url + "/-/ready").status() == 200);
      return prometheus;
    } catch (IOException e) {
      throw new UncheckedIOException("prometheus cannot run (is Debian's prometheus installed?): " + e.getMessage(), e);
    }
  }

  private static String config(List<Target> targets) {
    Map<String, List<Target>> byJob = targets.stream().collect(Collectors.groupingBy(t -> t.job() + " " + t.path()));
    StringBuilder yaml = new StringBuilder("global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n");
    byJob.forEach((key, list) -> yaml.append("- job_name: ").append(list.getFirst().job()).append('\n')
        .append("  metrics_path: ").append(list.getFirst().path()).append('\n')
        .append("  static_configs: [{targets: [")
        .append(list.stream().map(t -> "\"" + t.address() + "\"").collect(Collectors.joining(", ")))
        .append("]}]\n"));
    return yaml.toString();
  }

  /** An instant query's result vector: each series' labels (only those {@code by} names) to its value. */
  Map<Map<String, String>, Double> query(String promql) {
    JsonNode body;
    try {
      body = JSON.readTree(Http.get(url + "/api/v1/query?query=" + URLEncoder.encode(promql,
          StandardCharsets.UTF_8)).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(body.path("status").asText()).as("%s: %s", promql, body).isEqualTo("success");
    Map<Map<String, String>, Double> result = new HashMap<>();
    for (JsonNode sample : body.path("data").path("result")) {
      Map<String, String> labels = new HashMap<>();
      sample.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      result.put(labels, Double.parseDouble(sample.path("value").get(1).asText()));
    }
    return result;
  }

  /** The same query's result with each series named by one label. */
  Map<String, Double> queryBy(String label, String promql) {
    Map<String, Double> byLabel = new HashMap<>();
    query(promql).forEach((labels, value) -> byLabel.put(labels.getOrDefault(label, ""), value));
    return byLabel;
  }

  String url() {
    return url;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
