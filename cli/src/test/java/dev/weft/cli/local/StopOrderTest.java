package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopOrderTest {

  @TempDir Path dir;
  private final Supervisor supervisor = new Supervisor(new Probe(), Clock.systemUTC(), Duration.ofSeconds(10));
  private final List<String> progress = new ArrayList<>();

  private ProcessRecord start(String name, Role role, List<String> command) throws Exception {
    Supervisor.Started s = supervisor.start(name, role, name, command, Map.of(), dir.resolve(name + ".log"), "",
        "");
    supervisor.awaitLogLine(s, java.util.regex.Pattern.compile("ready"));
    return s.record();
  }

  @Test
  void appsStopBeforeSidecarsWhichStopBeforeWeftd() throws Exception {
    String journal = dir.resolve("journal").toString();
    List<ProcessRecord> records = List.of(
        start("weftd", Role.WEFTD, Shell.service("weftd", journal)),
        start("gateway", Role.GATEWAY, Shell.service("gateway", journal)),
        start("sidecar", Role.SIDECAR, Shell.service("sidecar", journal)),
        start("app", Role.APP, Shell.service("app", journal)));
    int stopped = new StopOrder(new Probe(), Duration.ofSeconds(5), progress::add).stop(records);
    assertThat(stopped).isEqualTo(4);
    assertThat(Files.readAllLines(Path.of(journal)))
        .containsExactly("app stopped", "sidecar stopped", "gateway stopped", "weftd stopped");
    assertThat(records).allSatisfy(r -> assertThat(r.live()).isEmpty());
    assertThat(progress).isEmpty();
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
    ProcessRecord stubborn = start("stubborn", Role.APP, Shell.stubborn());
    int stopped = new StopOrder(new Probe(), Duration.ofMillis(200), progress::add).stop(List.of(stubborn));
    assertThat(stopped).isEqualTo(1);
    assertThat(stubborn.live()).isEmpty();
    assertThat(progress).containsExactly("stubborn did not stop within 0 s: killing it");
  }

  @Test
  void recordsOfExitedProcessesAreSkipped() throws Exception {
    ProcessRecord gone = start("gone", Role.APP, List.of("/bin/sh", "-c", "echo ready"));
    ProcessHandle.of(gone.pid()).ifPresent(h -> h.onExit().join());
    assertThat(new StopOrder(new Probe(), Duration.ofSeconds(1), progress::add).stop(List.of(gone))).isZero();
  }
}
