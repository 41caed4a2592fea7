package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeConfigTest {

  @TempDir Path dir;

  private static final List<ScrapeConfig.Target> TARGETS = List.of(
      ObservabilityAddons.proxy(new ProcessRecord("reviews-v1.proxy", Role.SIDECAR, "reviews-v1", 1, 0, "", "",
          "http://127.0.0.5:15000"), "default", Map.of("app", "reviews", "version", "v1")),
      ObservabilityAddons.proxy(new ProcessRecord("istio-ingressgateway", Role.GATEWAY, "", 2, 0, "", "",
          "http://127.0.0.2:15010"), "istio-system", Map.of()),
      ObservabilityAddons.weftd("http://127.0.0.1:40000"));

  @Test
  void proxiesAreEnvoyStatsAndWeftdIsPilotEachWithPodLabels() {
    String yaml = ScrapeConfig.yaml(TARGETS);

    assertThat(yaml).contains("""
        - job_name: envoy-stats
          metrics_path: /stats/prometheus
          static_configs:
          - targets: ["127.0.0.5:15000"]
            labels: {app: "reviews", namespace: "default", pod: "reviews-v1"}
          - targets: ["127.0.0.2:15010"]
            labels: {namespace: "istio-system", pod: "istio-ingressgateway"}
        - job_name: pilot
          metrics_path: /metrics
          static_configs:
          - targets: ["127.0.0.1:40000"]
            labels: {app: "istiod", namespace: "istio-system", pod: "weftd"}
        """);
  }

  @Test
  void prometheusOwnCheckerAcceptsIt() throws Exception {
    Path config = Files.writeString(dir.resolve("prometheus.yml"), ScrapeConfig.yaml(TARGETS));

    Process promtool = new ProcessBuilder("promtool", "check", "config", config.toString()).redirectErrorStream(true)
        .start();
    String output = new String(promtool.getInputStream().readAllBytes());

    assertThat(promtool.waitFor()).as(output).isZero();
  }
}
