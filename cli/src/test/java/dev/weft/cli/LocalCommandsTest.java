package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.local.Probe;
import dev.weft.cli.local.ProcessKeeper;
import dev.weft.cli.local.ProcessRecord;
import dev.weft.cli.local.RestartBackoff;
import dev.weft.cli.local.Role;
import dev.weft.cli.local.RuntimeState;
import dev.weft.cli.local.StateStore;
import dev.weft.cli.local.Supervisor;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status, logs, down and up on state directories, without starting a mesh. */
class LocalCommandsTest {

  @TempDir Path dir;

  @Test
  void withoutAMeshStatusSaysSoAndDownHasNothingToDo() {
    CliRun status = CliRun.of("status", "--state-dir", dir.toString());
    assertThat(status.exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);
    assertThat(status.out()).contains("no local mesh is running");
    CliRun down = CliRun.of("down", "--state-dir", dir.toString());
    assertThat(down.exitCode()).isZero();
    assertThat(down.out()).contains("no local mesh is running");
  }

  @Test
  void statusShowsLiveAndExitedProcesses() throws Exception {
    Process exited = new ProcessBuilder("/bin/true").start();
    exited.waitFor();
    ProcessRecord self = ProcessRecord.of("weftd", Role.WEFTD, "", ProcessHandle.current(), "w.log", "", "");
    ProcessRecord gone = new ProcessRecord("details-v1", Role.APP, "details-v1", exited.pid(), 0, "d.log", "", "", 3);
    new StateStore(dir).write(new RuntimeState(ProcessHandle.current().pid(), self.startedAtMillis(),
        RuntimeState.RUNNING, "/mesh", "http://127.0.0.1:1", 0, "http://127.0.0.1:8080", List.of(self, gone)));
    CliRun status = CliRun.of("status", "--state-dir", dir.toString());
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.out()).contains("mesh /mesh (running").contains("ingress http://127.0.0.1:8080");
    assertThat(status.out().lines().filter(l -> l.startsWith("weftd")).findFirst().orElseThrow())
        .contains("running").contains(" MB").contains("%");
    assertThat(status.out().lines().filter(l -> l.startsWith("details-v1")).findFirst().orElseThrow())
        .contains("exited").containsPattern(" " + exited.pid() + " +3 +exited");
    assertThat(status.out()).contains("RESTARTS");
    List<String> table = status.out().lines().dropWhile(l -> !l.startsWith("NAME")).toList();
    for (String column : List.of("ROLE", "PID", "RESTARTS", "HEALTH", "RSS", "CPU", "PROBE")) {
      int at = table.getFirst().indexOf(column);
      assertThat(table).as("column %s starts at %d in every row", column, at)
          .allSatisfy(row -> assertThat(row.charAt(at - 1) == ' ' && row.charAt(at) != ' ').isTrue());
    }
  }

  @Test
  void logsPrintsAnAppsOrItsSidecarsLog() throws Exception {
    Path appLog = Files.writeString(dir.resolve("app.log"), "one\ntwo\nthree\n");
    Path proxyLog = Files.writeString(dir.resolve("proxy.log"), "proxy started\n");
    new StateStore(dir).write(new RuntimeState(1, 0, RuntimeState.RUNNING, "/mesh", "", 0, "", List.of(
        new ProcessRecord("details-v1", Role.APP, "details-v1", 1, 0, appLog.toString(), "", ""),
        new ProcessRecord("details-v1.proxy", Role.SIDECAR, "details-v1", 2, 0, proxyLog.toString(), "", ""))));
    assertThat(CliRun.of("logs", "details-v1", "--state-dir", dir.toString()).out()).isEqualTo("one\ntwo\nthree\n");
    assertThat(CliRun.of("logs", "details-v1", "--tail", "1", "--state-dir", dir.toString()).out())
        .isEqualTo("three\n");
    assertThat(CliRun.of("logs", "details-v1", "--proxy", "--state-dir", dir.toString()).out())
        .isEqualTo("proxy started\n");
    CliRun unknown = CliRun.of("logs", "ratings-v1", "--state-dir", dir.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no workload \"ratings-v1\"; known: details-v1");
  }

  @Test
  void logsFollowsALogUntilItsProcessExits() throws Exception {
    Path log = dir.resolve("job.log");
    Process job = new ProcessBuilder("/bin/sh", "-c", "echo first; read line; echo \"$line\"; echo last")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    new StateStore(dir).write(new RuntimeState(1, 0, RuntimeState.RUNNING, "/mesh", "", 0, "", List.of(
        ProcessRecord.of("job", Role.APP, "job", job.toHandle(), log.toString(), "", ""))));
    org.awaitility.Awaitility.await().until(() -> Files.readString(log).contains("first"));
    var following = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> CliRun.of("logs", "job", "--follow", "--state-dir", dir.toString()));
    try (var stdin = job.getOutputStream()) {
      stdin.write("second\n".getBytes());
    }
    CliRun run = following.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("first\nsecond\nlast\n");
  }

  @Test
  void upRefusesADirectoryThatCannotRun() throws Exception {
    Files.writeString(dir.resolve("weft-workloads.yaml"), "workloads:\n- {name: a}\n");
    CliRun up = CliRun.of("up", dir.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(up.exitCode()).isEqualTo(1);
    assertThat(up.err()).contains("cannot run:").contains("give exactly one of \"main\"");
  }

  @Test
  void upRefusesToStartASecondMeshInTheSameStateDirectory() throws Exception {
    Path state = dir.resolve("state");
    Process other = new ProcessBuilder("/bin/sh", "-c", "while true; do sleep 0.05; done").start();
    try {
      ProcessRecord otherUp = ProcessRecord.of("weft up", Role.WEFTD, "", other.toHandle(), "", "", "");
      new StateStore(state).write(new RuntimeState(otherUp.pid(), otherUp.startedAtMillis(), RuntimeState.RUNNING,
          "/mesh", "", 0, "", List.of()));
      CliRun up = CliRun.of("up", MeshDirectoryPath.BOOKINFO.toString(), "--state-dir", state.toString());
      assertThat(up.exitCode()).isEqualTo(1);
      assertThat(up.err()).contains("a mesh is already running").contains("pid " + other.pid());
      assertThat(other.isAlive()).as("the running weft up is left alone").isTrue();
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void restartStopsAProcessAndReturnsOnceWeftUpStartedItAgain() throws Exception {
    StateStore store = new StateStore(dir);
    ProcessRecord self = ProcessRecord.of("weft up", Role.WEFTD, "", ProcessHandle.current(), "", "", "");
    store.write(new RuntimeState(self.pid(), self.startedAtMillis(), RuntimeState.RUNNING, "/mesh", "", 0, "",
        List.of()));
    try (ProcessKeeper keeper = new ProcessKeeper(new Supervisor(new Probe(), Clock.systemUTC(), Duration.ofSeconds(10)),
        new RestartBackoff(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1)), Clock.systemUTC(),
        store.restartRequests(), line -> { }, record -> store.write(store.read().orElseThrow().replacing(record)))) {
      Supervisor.Started app = keeper.start(new ProcessKeeper.Launch("details-v1", Role.APP, "details-v1",
          List.of("/bin/sh", "-c", "echo ready; while true; do sleep 0.05; done"), Map.of(), dir.resolve("d.log"),
          "", "", true));
      store.write(store.read().orElseThrow().with(app.record()));
      keeper.supervise();

      CliRun restart = CliRun.of("restart", "details-v1", "--state-dir", dir.toString());

      assertThat(restart.exitCode()).as(restart.err()).isZero();
      ProcessRecord again = store.read().orElseThrow().processes().getFirst();
      assertThat(restart.out()).contains("weft: restarted details-v1 (pid " + again.pid() + ", restarts 1)");
      assertThat(app.process().isAlive()).isFalse();
      again.live().orElseThrow().destroyForcibly();
      CliRun unknown = CliRun.of("restart", "ratings-v1", "--state-dir", dir.toString());
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err()).contains("no process \"ratings-v1\"; known: details-v1");
    }
  }

  @Test
  void helpListsTheLocalRuntimeCommands() {
    assertThat(CliRun.of("--help").out()).contains("up", "demo", "down", "status", "logs", "restart", "apply", "delete",
        "proxy");
  }

  /** The repository's Bookinfo mesh, seen from the cli module. */
  static final class MeshDirectoryPath {
    static final Path BOOKINFO = Path.of("..", "examples", "bookinfo", "mesh");
  }
}
