package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's "mirroring" task on httpbin v1 and v2 (examples/httpbin-versions/mesh): all traffic goes to v1; with
 * the mirror rule v1 still answers every call while v2 receives a copy of each, with the Host Envoy gives a
 * shadow ({@code httpbin-shadow:8000}), as v2's access log shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirroringTaskTest {
  private static final Path NETWORKING = Weft.HTTPBIN_VERSIONS_MESH.resolve("networking");

  @TempDir static Path stateDir;
  private RunningMesh mesh;
  private MeshClient curl;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.HTTPBIN_VERSIONS_MESH, stateDir, 15);
    curl = new MeshClient(mesh.app("curl"));
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  /** Calls {@code /hostname?call=<tag>-<i>}, asserting v1 answers each, and returns the request URIs. */
  private List<String> callsAnsweredByV1(String tag, int calls) {
    List<String> uris = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      String uri = "/hostname?call=" + tag + "-" + i;
      MeshClient.Fetched fetched = curl.fetch("http://httpbin:8000" + uri);
      assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
      assertThat(fetched.body()).contains("\"httpbin-v1\"");
      uris.add(uri);
    }
    return uris;
  }

  private List<String> accessLog(String workload) {
    try {
      return Files.readAllLines(mesh.log(workload));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long logged(String workload, String uri, String host) {
    return accessLog(workload).stream().filter(line -> line.contains("\"GET " + uri + " HTTP/1.1\" 200 ")
        && line.endsWith(" host=" + host)).count();
  }

  private boolean mirrored(String uri) {
    return logged("httpbin-v2", uri, "httpbin-shadow:8000") == 1;
  }

  @Test
  @Order(1)
  void allTrafficGoesToV1AndNothingToV2() {
    mesh.apply(NETWORKING.resolve("httpbin-all-v1.yaml"));
    // Before the rule both versions answer in turn: eight v1 answers in a row mean it is in force.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> callsAnsweredByV1("settle", 8));
    String tag = UUID.randomUUID().toString();
    callsAnsweredByV1(tag, 10);
    assertThat(accessLog("httpbin-v2")).noneMatch(line -> line.contains(tag));
  }

  /** With mirrorPercentage 50, v2 gets a copy of about half of the calls; v1 still answers all of them. */
  @Test
  @Order(2)
  void halfTheCallsAreMirroredAtFiftyPercent() {
    mesh.apply(NETWORKING.resolve("httpbin-mirror-v2-50.yaml"));
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<String> probes = callsAnsweredByV1("probe-" + UUID.randomUUID(), 4);
      return within2s(() -> probes.stream().anyMatch(this::mirrored));
    });
    String tag = UUID.randomUUID().toString();
    List<String> uris = callsAnsweredByV1(tag, 60);
    // Bin(60, 0.5) lands outside 14..46 with a probability below 1e-4. Copies only add up, and each arrives
    // within milliseconds of its call, so the count is read once it is in range.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(uris.stream().filter(this::mirrored).count()).isBetween(14L, 46L));
  }

  @Test
  @Order(3)
  void v1AnswersEveryCallAndV2ReceivesTheShadowCopies() {
    mesh.apply(NETWORKING.resolve("httpbin-mirror-v2.yaml"));
    // At 50 % eight copies in a row have a chance of 1/256; at 100 % they are certain.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<String> probes = callsAnsweredByV1("probe-" + UUID.randomUUID(), 8);
      return within2s(() -> probes.stream().allMatch(this::mirrored));
    });

    List<String> uris = callsAnsweredByV1(UUID.randomUUID().toString(), 10);
    assertThat(within2s(() -> uris.stream().allMatch(this::mirrored))).as("a shadow copy of each call at v2").isTrue();
    for (String uri : uris) {
      assertThat(logged("httpbin-v2", uri, "httpbin-shadow:8000")).as("copies of %s at v2", uri).isEqualTo(1);
      assertThat(logged("httpbin-v1", uri, "httpbin:8000")).as("%s at v1", uri).isEqualTo(1);
    }
  }

  /** Whether the condition on v2's log comes true within 2 s: copies arrive a moment after their calls. */
  private static boolean within2s(Callable<Boolean> condition) {
    try {
      await().atMost(Duration.ofSeconds(2)).until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }
}
