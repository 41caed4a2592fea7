package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outlier detection (DestinationRule {@code outlierDetection}) on two httpbin endpoints
 * (examples/httpbin-versions/mesh): when one starts failing, the curl sidecar ejects it after three 5xx in a
 * row and sends everything to the other; once it is healthy again it gets traffic back after the ejection time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutlierDetectionTaskTest {
  private static final String HOSTNAME = "http://httpbin:8000/hostname";
  private static final String EJECTIONS = ProxyStats.outbound(8000, "httpbin.default.svc.cluster.local",
      "outlier_detection.ejections_enforced_total");
  // Long enough that the checks made while the endpoint is ejected end before it returns, also on a busy machine.
  private static final Duration BASE_EJECTION_TIME = Duration.ofSeconds(10);

  @TempDir static Path stateDir;
  private RunningMesh mesh;
  private MeshClient curl;
  private final HttpClient direct = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.HTTPBIN_VERSIONS_MESH, stateDir, 14);
    curl = new MeshClient(mesh.app("curl"));
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  /** Which endpoint answered each call: its workload name, or the status when it failed. */
  private List<String> answers(int calls) {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      MeshClient.Fetched fetched = curl.fetch(HOSTNAME);
      seen.add(fetched.status() == 200 ? fetched.body().replaceAll("(?s).*\"hostname\" *: *\"([^\"]*)\".*", "$1")
          : Integer.toString(fetched.status()));
    }
    return seen;
  }

  private void switchFault(String workload, HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = direct.send(request.timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s: %s", workload, response.body()).isIn(200, 204);
  }

  @Test
  void aFailingEndpointIsEjectedAndComesBackAfterTheEjectionTime() throws Exception {
    assertThat(answers(10)).as("round robin over both endpoints").contains("httpbin-v1", "httpbin-v2");
    mesh.apply(Weft.HTTPBIN_VERSIONS_MESH.resolve("networking/destination-rule-outlier-detection.yaml"));
    long ejectionsBefore = ProxyStats.counter(mesh.sidecarAdmin("curl"), EJECTIONS);

    long faultOn = System.nanoTime();
    switchFault("httpbin-v1", HttpRequest.newBuilder(URI.create(mesh.app("httpbin-v1") + "fault/503"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
        .until(() -> answers(6).stream().allMatch("httpbin-v2"::equals));
    assertThat(answers(20)).as("only the healthy endpoint answers while the other is ejected")
        .containsOnly("httpbin-v2");
    assertThat(ProxyStats.counter(mesh.sidecarAdmin("curl"), EJECTIONS)).isGreaterThan(ejectionsBefore);

    switchFault("httpbin-v1", HttpRequest.newBuilder(URI.create(mesh.app("httpbin-v1") + "fault")).DELETE());
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
        .until(() -> answers(4).contains("httpbin-v1"));
    Duration back = Duration.ofNanos(System.nanoTime() - faultOn);
    assertThat(back).as("ejected for at least baseEjectionTime").isGreaterThanOrEqualTo(BASE_EJECTION_TIME);
    assertThat(answers(10)).as("both answer again, and neither fails").containsOnly("httpbin-v1", "httpbin-v2")
        .contains("httpbin-v1", "httpbin-v2");
  }
}
