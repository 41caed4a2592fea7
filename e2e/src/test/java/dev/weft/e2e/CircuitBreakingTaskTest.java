package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's "circuit breaking" task on httpbin (examples/httpbin/mesh): with maxConnections 1,
 * http1MaxPendingRequests 1 and one request per connection, concurrent load through the ingress gateway gets
 * 503s flagged UO and counted as pending overflow, some requests still succeed, and once the load stops
 * every request succeeds again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CircuitBreakingTaskTest {
  private static final Path HTTPBIN_MESH = Weft.REPOSITORY.resolve("examples/httpbin/mesh");
  private static final Pattern OVERFLOW =
      Pattern.compile("cluster\\.outbound\\|8000\\|\\|httpbin\\.default\\.svc\\.cluster\\.local"
          + "\\.upstream_rq_pending_overflow: (\\d+)");

  @TempDir static Path stateDir;
  private MeshState mesh;
  private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void up() {
    Weft.Run up = Weft.run("up", HTTPBIN_MESH.toString(), "--detach", "--state-dir", stateDir.toString(),
        "--address-block", "7");
    assertThat(up.exitCode()).as(up.output()).isZero();
    mesh = MeshState.read(stateDir).orElseThrow();
  }

  @AfterAll
  void down() {
    Weft.Run down = Weft.run("down", "--state-dir", stateDir.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
  }

  private String ingress() {
    return URI.create(mesh.ingressUrl()).resolve("/").toString();
  }

  private String gatewayAdmin() throws Exception {
    JsonNode state = new ObjectMapper().readTree(stateDir.resolve("state.json").toFile());
    for (JsonNode process : state.path("processes")) {
      if (process.path("role").asText().equals("GATEWAY")) {
        return process.path("admin").asText();
      }
    }
    throw new AssertionError("no gateway in " + state);
  }

  private long overflows() throws Exception {
    String stats = Http.get(gatewayAdmin() + "/stats").body();
    Matcher m = OVERFLOW.matcher(stats);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void concurrentLoadTripsTheBreakerWithUoAndTheServiceRecovers() throws Exception {
    assertThat(Http.get(ingress() + "get").status()).isEqualTo(200);
    Weft.Run apply = Weft.run("apply", "-f", HTTPBIN_MESH.resolve("networking/destination-rule-circuit-breaker.yaml")
        .toString(), "--state-dir", stateDir.toString());
    assertThat(apply.exitCode()).as(apply.output()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> burst(10).containsKey(503));

    Map<Integer, Integer> statuses = burst(20);
    assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(200, 503);
    assertThat(statuses.get(503)).isGreaterThanOrEqualTo(10);
    assertThat(statuses.get(200)).isGreaterThanOrEqualTo(1);
    assertThat(overflows()).isGreaterThanOrEqualTo(statuses.get(503));

    for (int i = 0; i < 5; i++) {
      assertThat(Http.get(ingress() + "get").status()).as("sequential request %d after the burst", i).isEqualTo(200);
    }
  }

  /** {@code n} concurrent requests that each hold httpbin for 200 ms; 503s must carry Envoy's overload header. */
  private Map<Integer, Integer> burst(int n) {
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create(ingress() + "delay/0.2"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    Map<Integer, Integer> statuses = new HashMap<>();
    for (CompletableFuture<HttpResponse<String>> f : inFlight) {
      HttpResponse<String> response = f.join();
      statuses.merge(response.statusCode(), 1, Integer::sum);
      if (response.statusCode() == 503) {
        assertThat(response.headers().firstValue("x-envoy-overloaded")).contains("true");
      }
    }
    return statuses;
  }
}
