package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft up --with-observability} on the httpbin mesh: the Prometheus it prints has the proxies' Istio metrics
 * and weftd's, the Zipkin it prints has the traces of requests through the gateway, both are processes of the mesh
 * in {@code weft status} that {@code weft down} stops; and {@code weft top --once} shows httpbin's traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest {
  private static final int BLOCK = 33;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern URLS = Pattern.compile("Prometheus: (http://\\S+)  Zipkin: (http://\\S+)");

  @TempDir static Path stateDir;
  private RunningMesh mesh;
  private String prometheus;
  private String zipkin;

  @BeforeAll
  void up() {
    Weft.Run up = Weft.run("up", Weft.HTTPBIN_MESH.toString(), "--detach", "--with-observability", "--state-dir",
        stateDir.toString(), "--address-block", Integer.toString(BLOCK));
    assertThat(up.exitCode()).as(up.output()).isZero();
    mesh = RunningMesh.started(stateDir);
    Matcher urls = URLS.matcher(up.output());
    assertThat(urls.find()).as(up.output()).isTrue();
    prometheus = urls.group(1);
    zipkin = urls.group(2);
  }

  @AfterAll
  void down() {
    if (mesh == null) {
      return;
    }
    mesh.down();
    assertThat(Http.get(prometheus + "/-/ready").status()).as("Prometheus after weft down").isZero();
    assertThat(Http.get(zipkin + "/health").status()).as("Zipkin after weft down").isZero();
  }

  private void requests(int count) {
    for (int i = 0; i < count; i++) {
      assertThat(Http.get(mesh.ingress() + "get").status()).isEqualTo(200);
    }
  }

  private JsonNode json(String url) throws IOException {
    Http.Reply reply = Http.get(url);
    assertThat(reply.status()).as("%s: %s", url, reply.body()).isEqualTo(200);
    return JSON.readTree(reply.body());
  }

  private double query(String promql) throws IOException {
    JsonNode result = json(prometheus + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .path("data").path("result");
    assertThat(result).as(promql).hasSize(1);
    return result.get(0).path("value").get(1).asDouble();
  }

  @Test
  void prometheusScrapesTheSidecarsWithPodLabelsAndWeftdAsPilot() {
    requests(5);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(query("sum(istio_requests_total{job=\"envoy-stats\",reporter=\"destination\","
          + "destination_service_name=\"httpbin\",namespace=\"default\",pod=\"httpbin\"})")).isGreaterThanOrEqualTo(5);
      assertThat(query("up{job=\"pilot\",app=\"istiod\"}")).isEqualTo(1);
      assertThat(query("count(up{job=\"envoy-stats\"} == 1)")).as("gateway, httpbin and curl").isEqualTo(3);
    });
  }

  @Test
  void zipkinHasTheTraceOfARequestThroughTheGateway() {
    requests(1);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode traces = json(zipkin + "/api/v2/traces?serviceName=httpbin.default&limit=10");
      assertThat(traces).isNotEmpty();
      assertThat(traces.get(0)).anyMatch(span -> span.path("localEndpoint").path("serviceName").asText()
          .startsWith("istio-ingressgateway"));
    });
  }

  @Test
  void topShowsHttpbinsRateAndFullSuccessFromTheSidecars() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    Thread traffic = Thread.ofVirtual().start(() -> {
      while (running.get()) {
        Http.get(mesh.ingress() + "get");
      }
    });
    String top;
    try {
      top = mesh.weft("top", "--once", "--interval", "2s");
    } finally {
      running.set(false);
      traffic.join();
    }
    List<String> httpbin = top.lines().filter(l -> l.startsWith("httpbin.default ")).findFirst()
        .map(l -> Arrays.asList(l.trim().split("\\s+"))).orElseThrow(() -> new AssertionError(top));
    assertThat(top).contains("SERVICE", "RPS", "SUCCESS", "P50", "P99");
    assertThat(Double.parseDouble(httpbin.get(1))).as(top).isPositive();
    assertThat(httpbin.get(2)).as(top).isEqualTo("100.00%");
    assertThat(httpbin.get(3)).as(top).endsWith("ms");
  }

  @Test
  void statusListsPrometheusAndZipkinAsAddonsOfTheMesh() {
    String status = mesh.weft("status");

    assertThat(status.lines()).anyMatch(l -> l.matches("prometheus\\s+addon\\s+.*ready\\s+.*http://127\\.0\\.0\\.1:.*"))
        .anyMatch(l -> l.matches("zipkin\\s+addon\\s+.*ready\\s+.*http://127\\.0\\.0\\.1:.*"));
  }
}
