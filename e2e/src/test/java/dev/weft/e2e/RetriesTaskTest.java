package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * VirtualService {@code retries} on httpbin (examples/httpbin/mesh): the curl workload calls httpbin, which fails
 * half of the requests ({@code /status/200,503}); with {@code attempts: 3, retryOn: 5xx} the curl sidecar retries
 * them, so almost every call succeeds, and every retry counts in its {@code upstream_rq_retry}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetriesTaskTest {
  private static final String HALF_FAIL = "http://httpbin:8000/status/200,503";
  private static final String RETRIES =
      ProxyStats.outbound(8000, "httpbin.default.svc.cluster.local", "upstream_rq_retry");
  private static final int CALLS = 40;

  @TempDir static Path stateDir;
  private RunningMesh mesh;
  private MeshClient curl;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.HTTPBIN_MESH, stateDir, 8);
    curl = new MeshClient(mesh.app("curl"));
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private long retries() {
    return ProxyStats.counter(mesh.sidecarAdmin("curl"), RETRIES);
  }

  private int successes(String url, int calls) {
    int ok = 0;
    for (int i = 0; i < calls; i++) {
      MeshClient.Fetched fetched = curl.fetch(url);
      assertThat(fetched.status()).as(fetched.body()).isIn(200, 503);
      ok += fetched.status() == 200 ? 1 : 0;
    }
    return ok;
  }

  @Test
  @Order(1)
  void withoutRetriesHalfOfTheCallsFail() {
    long before = retries();
    // Bin(40, 0.5) lands outside 8..32 with a probability below 2e-4.
    assertThat(successes(HALF_FAIL, CALLS)).isBetween(8, 32);
    assertThat(retries()).as("Istio's default policy does not retry a 503").isEqualTo(before);
  }

  @Test
  @Order(2)
  void retriesTurnAlmostEveryFailureIntoASuccessAndAreCounted() {
    mesh.apply(Weft.HTTPBIN_MESH.resolve("networking/virtual-service-retries.yaml"));
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      long before = retries();
      return curl.fetch("http://httpbin:8000/status/503").status() == 503 && retries() == before + 3;
    });

    long before = retries();
    int ok = successes(HALF_FAIL, CALLS);
    long retried = retries() - before;
    // Each call fails only if all four tries do (1/16): 13 or more failures of 40 has a probability below 1e-5.
    assertThat(ok).isGreaterThanOrEqualTo(CALLS - 12);
    assertThat(retried).as("every failed call was retried three times").isGreaterThanOrEqualTo(3L * (CALLS - ok))
        .isPositive().isLessThanOrEqualTo(3L * CALLS);
  }

  /** Each try that takes longer than perTryTimeout (1 s) is cut and retried; after the fourth the call gets 504. */
  @Test
  @Order(3)
  void aSlowTryIsCutAtThePerTryTimeoutAndRetried() {
    long before = retries();
    long start = System.nanoTime();
    MeshClient.Fetched fetched = curl.fetch("http://httpbin:8000/delay/3");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(fetched.status()).as(fetched.body()).isEqualTo(504);
    assertThat(retries() - before).isEqualTo(3);
    assertThat(took).isBetween(Duration.ofMillis(3900), Duration.ofMillis(8000));
  }
}
