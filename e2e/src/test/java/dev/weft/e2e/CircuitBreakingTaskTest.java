package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
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
import java.util.concurrent.atomic.AtomicBoolean;
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
  private static final String HTTPBIN = "httpbin.default.svc.cluster.local";
  private static final String OVERFLOW = ProxyStats.outbound(8000, HTTPBIN, "upstream_rq_pending_overflow");
  private static final String PENDING_TOTAL = ProxyStats.outbound(8000, HTTPBIN, "upstream_rq_pending_total");

  @TempDir static Path stateDir;
  private RunningMesh mesh;
  private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.HTTPBIN_MESH, stateDir, 7);
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private String ingress() {
    return mesh.ingress();
  }

  private long overflows() {
    return ProxyStats.counter(mesh.gatewayAdmin(), OVERFLOW);
  }

  @Test
  void concurrentLoadTripsTheBreakerWithUoAndTheServiceRecovers() {
    assertThat(Http.get(ingress() + "get").status()).isEqualTo(200);
    mesh.apply(Weft.HTTPBIN_MESH.resolve("networking/destination-rule-circuit-breaker.yaml"));
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

  /**
   * The task as Istio runs it, from the fortio client's sidecar: {@code fortio load -c 2 -qps 0 -n 20} and then
   * {@code -c 3 -qps 0 -n 30} to {@code http://httpbin:8000/get}, here the curl workload's sidecar with a
   * fortio-like client on raw keep-alive connections. Only 200 and 503, no socket error (a connection the sidecar
   * drops behind a 503 would be one), and the pending stats the task reads from that sidecar.
   */
  @Test
  void fortioLoadThroughTheClientSidecarGetsOnly200And503AndNoSocketErrors() throws InterruptedException {
    String curlSidecar = applyTheCircuitBreakerToTheCurlSidecar();
    KeepAliveLoad fortio = fortioFromTheCurlSidecar();
    long overflowBefore = ProxyStats.counter(curlSidecar, OVERFLOW);
    long pendingBefore = ProxyStats.counter(curlSidecar, PENDING_TOTAL);

    int rejected = 0;
    for (int[] run : new int[][] {{2, 20}, {3, 30}}) {
      KeepAliveLoad.Result result = fortio.run(run[0], run[1]);
      String what = "fortio load -c " + run[0] + " -qps 0 -n " + run[1] + ": " + result;
      assertThat(result.statuses().keySet()).as(what).containsAnyOf(200).isSubsetOf(200, 503);
      assertThat(result.count(200) + result.count(503)).as(what).isEqualTo(run[1]);
      assertThat(result.socketErrors()).as(what).isZero();
      rejected += result.count(503);
    }

    long overflow = ProxyStats.counter(curlSidecar, OVERFLOW) - overflowBefore;
    assertThat(overflow).as("upstream_rq_pending_overflow").isPositive().isGreaterThanOrEqualTo(rejected);
    assertThat(ProxyStats.counter(curlSidecar, PENDING_TOTAL) - pendingBefore).as("upstream_rq_pending_total")
        .isPositive();
  }

  /**
   * A pooled JDK HttpClient that uses the curl sidecar as its HTTP proxy, as the curl app does, makes 50 sequential
   * POSTs (which it never retries by itself) while fortio-like load keeps the breaker tripped: every request gets
   * 200 or 503 and none an IOException, so connections kept after 503s are sound to reuse, and they are reused.
   */
  @Test
  void aPooledClientReusesItsConnectionsAfter503sWithoutAnIoException() throws Exception {
    String curlSidecar = applyTheCircuitBreakerToTheCurlSidecar();
    InetSocketAddress outbound = mesh.outboundListener("curl");
    String accepted = "listener." + outbound.getHostString() + "_" + outbound.getPort() + ".downstream_cx_total";
    long connectionsBefore = ProxyStats.counter(curlSidecar, accepted);
    HttpClient pooled = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .proxy(ProxySelector.of(outbound)).connectTimeout(Duration.ofSeconds(2)).build();

    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<List<KeepAliveLoad.Result>> background = CompletableFuture.supplyAsync(() -> {
      List<KeepAliveLoad.Result> runs = new ArrayList<>();
      while (!done.get()) {
        runs.add(runFortio(3, 30));
      }
      return runs;
    });
    Map<Integer, Integer> statuses = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> response = pooled.send(HttpRequest.newBuilder(URI.create("http://httpbin:8000/anything"))
          .POST(HttpRequest.BodyPublishers.ofString("request " + i)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      statuses.merge(response.statusCode(), 1, Integer::sum);
    }
    done.set(true);
    List<KeepAliveLoad.Result> load = background.join();

    // Which of 200 and 503 a request gets depends on the race with the background load for the one connection (on a
    // busy machine every one may lose); what matters is that none failed with an I/O error after a 503.
    assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(200, 503).contains(503);
    assertThat(load).as("the background load").allSatisfy(r -> assertThat(r.socketErrors()).isZero());
    long pooledConnections = ProxyStats.counter(curlSidecar, accepted) - connectionsBefore
        - load.stream().mapToInt(KeepAliveLoad.Result::connections).sum();
    assertThat(pooledConnections).as("connections the pooled client opened for 50 requests").isBetween(1L, 5L);
  }

  private String applyTheCircuitBreakerToTheCurlSidecar() {
    mesh.apply(Weft.HTTPBIN_MESH.resolve("networking/destination-rule-circuit-breaker.yaml"));
    String curlSidecar = mesh.sidecarAdmin("curl");
    await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(curlSidecar + "/config_dump").body()
        .matches("(?s).*\"max_pending_requests\":\\s*1\\b.*"));
    return curlSidecar;
  }

  /** The fortio client of Istio's task: its sidecar (here the curl workload's) calls httpbin. */
  private KeepAliveLoad fortioFromTheCurlSidecar() {
    return new KeepAliveLoad(mesh.outboundListener("curl"), "http://httpbin:8000/get", "httpbin:8000");
  }

  private KeepAliveLoad.Result runFortio(int connections, int requests) {
    try {
      return fortioFromTheCurlSidecar().run(connections, requests);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
