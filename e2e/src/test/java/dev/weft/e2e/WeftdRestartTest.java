package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd killed with SIGKILL under traffic (examples/httpbin-versions/mesh, curl calling httpbin through its
 * sidecar): the supervising {@code weft up} starts it again, every proxy is back in sync (how soon is printed),
 * the VirtualService applied before the crash is still in force, and no request fails throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WeftdRestartTest {
  private static final Path NETWORKING = Weft.HTTPBIN_VERSIONS_MESH.resolve("networking");

  @TempDir static Path stateDir;
  private RunningMesh mesh;
  private MeshClient curl;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.HTTPBIN_VERSIONS_MESH, stateDir, 18);
    curl = new MeshClient(mesh.app("curl"));
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private static Optional<JsonNode> json(String url) {
    Http.Reply reply = Http.get(url);
    if (reply.status() != 200) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ObjectMapper().readTree(reply.body()));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  @Test
  void aKilledWeftdIsRestartedAndTheProxiesResyncToTheAppliedConfigWithNoFailedRequest() throws Exception {
    mesh.apply(NETWORKING.resolve("httpbin-all-v1.yaml"));
    await().atMost(Duration.ofSeconds(10)).until(() -> curl.fetch("http://httpbin:8000/hostname").body()
        .contains("\"httpbin-v1\""));
    MeshState before = MeshState.read(stateDir).orElseThrow();
    MeshState.Proc weftd = before.process("weftd");
    long proxies = before.processes().stream().filter(p -> p.role().equals("SIDECAR") || p.role().equals("GATEWAY"))
        .count();

    List<MeshClient.Fetched> calls = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread traffic = Thread.ofPlatform().start(() -> {
      while (running.get() && calls.size() < 20_000) {
        calls.add(curl.fetch("http://httpbin:8000/hostname"));
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() >= 20);

    ProcessHandle.of(weftd.pid()).orElseThrow().destroyForcibly();
    int duringOutage = calls.size();
    AtomicLong back = new AtomicLong();
    await("weftd started again and ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          Optional<MeshState.Proc> now = MeshState.read(stateDir).map(s -> s.process("weftd"))
              .filter(p -> p.pid() != weftd.pid());
          if (now.isPresent() && Http.get(before.weftdUrl() + "/ready").status() == 200) {
            back.set(System.nanoTime());
            return true;
          }
          return false;
        });
    // A bound against hanging, not a timing assertion (CI never fails on timing); the time is reported.
    await("every proxy in sync with the new weftd").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> json(before.weftdUrl() + "/debug/push_status").filter(s -> !s.path("pushPending").asBoolean()
            && s.path("proxies").asLong() == proxies && s.path("inSync").asLong() == proxies).isPresent());
    Duration resynced = Duration.ofNanos(System.nanoTime() - back.get());
    System.out.println("WeftdRestartTest: every proxy in sync " + resynced.toMillis() + " ms after weftd's return");
    int afterResync = calls.size();
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() >= afterResync + 20);
    running.set(false);
    traffic.join();

    assertThat(afterResync).as("calls went on while weftd was down").isGreaterThan(duringOutage);
    assertThat(calls).as("every call, before, during and after the restart, answered by v1 as the VirtualService says")
        .allSatisfy(call -> {
          assertThat(call.status()).as(call.body()).isEqualTo(200);
          assertThat(call.body()).contains("\"httpbin-v1\"");
        });
    MeshState after = MeshState.read(stateDir).orElseThrow();
    assertThat(after.process("weftd").restarts()).isEqualTo(1);
    assertThat(after.weftdUrl()).as("the same API address").isEqualTo(before.weftdUrl());
    assertThat(json(before.weftdUrl() + "/debug/configz").orElseThrow().path("resources").toString())
        .contains("\"kind\":\"VirtualService\",\"namespace\":\"default\",\"name\":\"httpbin\",\"source\":\""
            + NETWORKING.resolve("httpbin-all-v1.yaml") + ":");
    Weft.Run status = Weft.run("status", "--state-dir", stateDir.toString());
    assertThat(status.output().lines().filter(l -> l.startsWith("weftd ")).findFirst().orElseThrow())
        .containsPattern(" 1 +ready");
  }
}
