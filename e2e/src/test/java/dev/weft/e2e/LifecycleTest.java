package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle done right: an app starts only after its sidecar is ready, a job that exits ends its sidecar, and
 * a {@code weft up} killed with SIGKILL is cleaned up by the next {@code weft up} and by {@code weft down}.
 */
class LifecycleTest {

  private static final int BLOCK = 5;

  @TempDir Path dir;

  /** A tcp-echo app that serves, and a job that asks its own sidecar /ready once, writes the answer and exits. */
  private Path mesh() throws Exception {
    Path mesh = Files.createDirectories(dir.resolve("mesh"));
    Files.writeString(mesh.resolve("weft-workloads.yaml"), """
        workloads:
        - name: echo
          labels: {app: echo}
          ports: [9000]
          main: dev.weft.examples.SampleApps
          args: [tcp-echo]
        - name: once
          labels: {app: once}
          job: true
          command:
          - /bin/bash
          - -c
          - |
            exec 3<>/dev/tcp/$INSTANCE_IP/$PROXY_ADMIN_PORT
            printf 'GET /ready HTTP/1.0\\r\\n\\r\\n' >&3
            head -1 <&3 > %s
        """.formatted(dir.resolve("sidecar-seen-by-job")));
    Files.writeString(mesh.resolve("services.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: echo}
        spec:
          selector: {app: echo}
          ports:
          - {name: tcp, port: 9000}
        """);
    return mesh;
  }

  @Test
  void aJobFindsItsSidecarReadyAndTakesItDownWhenItExits() throws Exception {
    Path state = dir.resolve("state");
    Weft.Run up = Weft.run("up", mesh().toString(), "--detach", "--state-dir", state.toString(),
        "--addressing", "PORT_BLOCKS", "--address-block", Integer.toString(BLOCK));
    try {
      assertThat(up.exitCode()).as(up.output()).isZero();
      assertThat(up.output()).doesNotContain("ingress:").contains("  once: app without a port, sidecar admin ")
          .doesNotContain("app ,");
      MeshState mesh = MeshState.read(state).orElseThrow();
      await().atMost(Duration.ofSeconds(20))
          .until(() -> mesh.process("once.proxy").live().isEmpty());
      assertThat(Files.readString(dir.resolve("sidecar-seen-by-job"))).startsWith("HTTP/1.1 200");
      assertThat(mesh.process("once").live()).isEmpty();
      assertThat(mesh.process("echo").live()).isPresent();
      assertThat(mesh.process("echo.proxy").live()).isPresent();
      assertThat(Files.readString(state.resolve("supervisor.log")))
          .contains("job once exited with status 0: stopping its sidecar");
    } finally {
      assertThat(Weft.run("down", "--state-dir", state.toString()).exitCode()).isZero();
    }
  }

  @Test
  void aKilledWeftUpIsCleanedUpByTheNextUpAndByDown() throws Exception {
    Path state = dir.resolve("state");
    Path mesh = mesh();
    Weft.Run first = Weft.run("up", mesh.toString(), "--detach", "--state-dir", state.toString(),
        "--addressing", "PORT_BLOCKS", "--address-block", Integer.toString(BLOCK));
    assertThat(first.exitCode()).as(first.output()).isZero();
    MeshState before = MeshState.read(state).orElseThrow();
    kill(before.supervisorPid());
    assertThat(before.process("echo").live()).as("a killed weft up leaves its processes").isPresent();

    Weft.Run second = Weft.run("up", mesh.toString(), "--detach", "--state-dir", state.toString(),
        "--addressing", "PORT_BLOCKS", "--address-block", Integer.toString(BLOCK));
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).containsPattern("stopped \\d+ processes left by a previous weft up");
    assertThat(before.processes()).allSatisfy(p -> assertThat(p.live()).as(p.name()).isEmpty());
    MeshState after = MeshState.read(state).orElseThrow();
    kill(after.supervisorPid());

    Weft.Run down = Weft.run("down", "--state-dir", state.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(after.processes()).allSatisfy(p -> assertThat(p.live()).as(p.name()).isEmpty());
    assertThat(MeshState.read(state)).isEmpty();
  }

  private static void kill(long pid) {
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    process.destroyForcibly();
    process.onExit().join();
  }

  @Test
  void anAppThatCannotStartFailsUpWithItsLogAndLeavesNothingRunning() throws Exception {
    Path mesh = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(mesh.resolve("weft-workloads.yaml"), """
        workloads:
        - name: details
          ports: [9080]
          main: dev.weft.examples.SampleApps
          args: [details]
          env: {PORT: eighty}
        """);
    Path state = dir.resolve("state");
    Weft.Run up = Weft.run("up", mesh.toString(), "--detach", "--state-dir", state.toString(),
        "--addressing", "PORT_BLOCKS", "--address-block", Integer.toString(BLOCK));
    assertThat(up.exitCode()).isEqualTo(1);
    assertThat(up.output()).contains("details exited with status 2 while waiting for it to answer")
        .contains("details: PORT=\"eighty\" is invalid").contains("the mesh did not start");
    assertThat(MeshState.read(state)).isEmpty();
    assertThat(Files.readString(state.resolve("supervisor.log"))).contains("weft: started details.proxy");
    for (String log : new String[] {"weftd.log", "details.proxy.log"}) {
      assertThat(state.resolve("logs").resolve(log)).exists();
    }
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a))
        .orElse("").contains(state.toString())).toList()).isEmpty();
  }

  @Test
  void aPortTakenByAnotherProgramFailsUpAtOnceSayingWhich() throws Exception {
    Path state = dir.resolve("state");
    int echoApp = 20000 + 2000 * (BLOCK - 1) + 50;
    try (java.net.ServerSocket squatter = new java.net.ServerSocket(echoApp, 50,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      Weft.Run up = Weft.run("up", mesh().toString(), "--detach", "--state-dir", state.toString(),
          "--addressing", "PORT_BLOCKS", "--address-block", Integer.toString(BLOCK));
      assertThat(up.exitCode()).isEqualTo(1);
      assertThat(up.output()).contains("the mesh needs 127.0.0.1:" + echoApp + ", already in use")
          .doesNotContain("weftd ready");
      assertThat(squatter.isBound()).isTrue();
    }
    assertThat(MeshState.read(state)).isEmpty();
  }
}
