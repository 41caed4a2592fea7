package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {

  @TempDir Path dir;
  private final Supervisor supervisor = new Supervisor(new Probe(), Clock.systemUTC(), Duration.ofSeconds(10));
  private Process started;

  @AfterEach
  void stop() {
    if (started != null) {
      started.destroyForcibly();
    }
  }

  @Test
  void aProcessLogsToItsFileWithItsEnvironment() throws Exception {
    Supervisor.Started s = supervisor.start("app", Role.APP, "app",
        List.of("/bin/sh", "-c", "echo \"port=$PORT\"; echo oops >&2"), Map.of("PORT", "9080"),
        dir.resolve("logs/app.log"), "", "");
    started = s.process();
    assertThat(s.process().waitFor()).isZero();
    assertThat(Files.readAllLines(dir.resolve("logs/app.log"))).containsExactly("port=9080", "oops");
    assertThat(s.record().pid()).isEqualTo(s.process().pid());
    assertThat(s.record().live()).isEmpty();
  }

  @Test
  void awaitLogLineReturnsTheMatch() throws Exception {
    Supervisor.Started s = supervisor.start("weftd", Role.WEFTD, "",
        List.of("/bin/sh", "-c", "echo 'weftd xds-port=4001 http-port=4002'; while true; do sleep 0.05; done"),
        Map.of(), dir.resolve("weftd.log"), "", "");
    started = s.process();
    var match = supervisor.awaitLogLine(s, Pattern.compile("xds-port=(\\d+) http-port=(\\d+)"));
    assertThat(match.group(1)).isEqualTo("4001");
    assertThat(match.group(2)).isEqualTo("4002");
  }

  @Test
  void aProcessThatExitsWhileStartingFailsWithItsStatusAndLog() throws Exception {
    Supervisor.Started s = supervisor.start("details", Role.APP, "details", Shell.failing(2), Map.of(),
        dir.resolve("details.log"), "tcp://127.0.0.1:1", "");
    started = s.process();
    assertThatThrownBy(() -> supervisor.awaitHealthy(s))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("details exited with status 2 while waiting for it to answer tcp://127.0.0.1:1")
        .hasMessageContaining("bad setting: PORT");
  }

  @Test
  void aProcessThatNeverGetsReadyTimesOut() throws Exception {
    Supervisor impatient = new Supervisor(new Probe(), Clock.systemUTC(), Duration.ofMillis(300));
    Supervisor.Started s = impatient.start("slow", Role.APP, "slow", Shell.stubborn(), Map.of(),
        dir.resolve("slow.log"), "tcp://127.0.0.1:1", "");
    started = s.process();
    assertThatThrownBy(() -> impatient.awaitHealthy(s))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("slow was not ready within 0 s");
  }

  @Test
  void aCommandThatCannotRunIsAStartException() {
    assertThatThrownBy(() -> supervisor.start("ghost", Role.APP, "ghost", List.of(dir.resolve("nope").toString()),
        Map.of(), dir.resolve("ghost.log"), "", ""))
        .isInstanceOf(StartException.class)
        .hasMessageStartingWith("ghost did not start: ");
  }

  @Test
  void readyWhenTheProbePasses() throws IOException, StartException {
    try (var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Supervisor.Started s = supervisor.start("app", Role.APP, "app", Shell.stubborn(), Map.of(),
          dir.resolve("app.log"), "tcp://127.0.0.1:" + server.getLocalPort(), "");
      started = s.process();
      supervisor.awaitHealthy(s);
      assertThat(s.process().isAlive()).isTrue();
    }
  }
}
