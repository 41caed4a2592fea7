package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.cli.local.RuntimeState;
import dev.weft.cli.local.StateStore;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft analyze} of the running mesh: a real weftd on a free loopback port, found through the state directory. */
class AnalyzeMeshTest {

  private static final String RATINGS_SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: ratings
      spec:
        selector: {app: ratings}
        ports:
        - name: http
          port: 9080
      """;

  private static final String TO_RATINGS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: to-ratings
      spec:
        hosts: [ratings]
        http:
        - route:
          - destination: {host: ratings}
      """;

  @TempDir Path dir;
  private Weftd weftd;
  private Path state;

  @BeforeEach
  void start() throws Exception {
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("ratings.yaml"), RATINGS_SERVICE);
    weftd = Weftd.start(WeftdOptions.defaults().withConfigDir(config).withPorts(0, 0));
    state = dir.resolve("state");
    new StateStore(state).write(new RuntimeState(1, 0, RuntimeState.RUNNING, "/mesh",
        "http://127.0.0.1:" + weftd.httpPort(), 0, "", List.of()));
  }

  @AfterEach
  void stop() throws Exception {
    weftd.close();
  }

  @Test
  void withoutFilesTheRunningMeshIsAnalyzed() throws Exception {
    CliRun clean = CliRun.of("analyze", "--state-dir", state.toString());
    assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).isEqualTo("\u2714 No validation issues found when analyzing namespace: default.\n");

    Path broken = Files.writeString(dir.resolve("broken.yaml"), TO_RATINGS.replace("{host: ratings}",
        "{host: nowhere}"));
    assertThat(CliRun.of("apply", "-f", broken.toString(), "--state-dir", state.toString()).exitCode()).isZero();
    CliRun found = CliRun.of("analyze", "--state-dir", state.toString());

    assertThat(found.exitCode()).isEqualTo(1);
    assertThat(found.out()).isEqualTo("Error [IST0101] (VirtualService default/to-ratings " + broken + ":9)"
        + " Referenced host not found: \"nowhere\"\n");
  }

  @Test
  void whatTheMeshRejectedIsReportedUnlessAFileReplacesIt() throws Exception {
    Files.writeString(dir.resolve("config").resolve("to-ratings.yaml"), TO_RATINGS.replace("- destination:",
        "- weight: -20\n      destination:"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(CliRun.of("analyze", "--state-dir", state.toString()).out()).startsWith("Error [IST0106]"
            + " (VirtualService default/to-ratings").contains("weight must be >= 0, got -20"));

    Path fixed = Files.writeString(dir.resolve("to-ratings.yaml"), TO_RATINGS);
    CliRun replaced = CliRun.of("analyze", "-f", fixed.toString(), "--state-dir", state.toString());
    assertThat(replaced.exitCode()).as(replaced.out()).isZero();
  }

  @Test
  void aFileIsAnalyzedWithTheHostsTheMeshHasUnlessFilesOnly() throws Exception {
    Path file = Files.writeString(dir.resolve("to-ratings.yaml"), TO_RATINGS);

    CliRun withMesh = CliRun.of("analyze", "-f", file.toString(), "--state-dir", state.toString());
    CliRun alone = CliRun.of("analyze", "-f", file.toString(), "--state-dir", state.toString(), "--files-only");

    assertThat(withMesh.exitCode()).as(withMesh.out() + withMesh.err()).isZero();
    assertThat(withMesh.out()).isEqualTo("\u2714 No validation issues found when analyzing namespace: default.\n");
    assertThat(alone.exitCode()).isEqualTo(1);
    assertThat(alone.out()).contains("Error [IST0101] (VirtualService default/to-ratings " + file + ":9)"
        + " Referenced host not found: \"ratings\"");
  }

  @Test
  void aMeshThatDoesNotAnswerIsOneLineThatSuggestsFilesOnly() throws Exception {
    Path file = Files.writeString(dir.resolve("to-ratings.yaml"), TO_RATINGS);
    weftd.close();

    CliRun run = CliRun.of("analyze", "-f", file.toString(), "--state-dir", state.toString());
    weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("weft: the running mesh's weftd at http://127.0.0.1:")
        .endsWith("; analyze the files alone with --files-only\n").hasLineCount(1);
  }

  @Test
  void withoutFilesAndWithoutAMeshIsAUsageError() {
    CliRun run = CliRun.of("analyze", "--state-dir", dir.resolve("none").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no input: give files or directories with -f, or start a mesh with weft up");
  }
}
