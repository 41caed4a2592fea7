package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed {@code weft up} leaves behind is found from the state file and stopped. */
class LeftoversTest {

  @TempDir Path dir;

  @Test
  void processesOfADeadSupervisorAreStoppedAndTheStateCleared() throws Exception {
    StateStore store = new StateStore(dir);
    Supervisor supervisor = new Supervisor(new Probe(), Clock.systemUTC(), Duration.ofSeconds(10));
    Supervisor.Started orphan = supervisor.start("orphan", Role.APP, "orphan", Shell.stubborn(), Map.of(),
        dir.resolve("orphan.log"), "", "");
    Process deadSupervisor = new ProcessBuilder("/bin/true").start();
    deadSupervisor.waitFor();
    store.write(new RuntimeState(deadSupervisor.pid(), 0, RuntimeState.RUNNING, "/mesh", "", 0, "",
        List.of(orphan.record())));
    List<String> progress = new ArrayList<>();
    Leftovers leftovers = new Leftovers(store, new StopOrder(new Probe(), Duration.ofMillis(300), progress::add),
        Duration.ofSeconds(5), progress::add);

    assertThat(leftovers.liveSupervisor()).isEmpty();
    assertThat(leftovers.stopAll()).isEqualTo(1);
    assertThat(orphan.process().isAlive()).isFalse();
    assertThat(store.read()).isEmpty();
    assertThat(leftovers.stopAll()).isZero();
  }

  @Test
  void aLiveSupervisorIsAskedToStopFirst() throws Exception {
    StateStore store = new StateStore(dir);
    Supervisor supervisor = new Supervisor(new Probe(), Clock.systemUTC(), Duration.ofSeconds(10));
    Supervisor.Started up = supervisor.start("weft up", Role.WEFTD, "", Shell.service("up", dir.resolve("j")
        .toString()), Map.of(), dir.resolve("up.log"), "", "");
    store.write(new RuntimeState(up.record().pid(), up.record().startedAtMillis(), RuntimeState.RUNNING, "/mesh", "",
        0, "", List.of()));
    List<String> progress = new ArrayList<>();
    Leftovers leftovers = new Leftovers(store, new StopOrder(new Probe(), Duration.ofSeconds(1), progress::add),
        Duration.ofSeconds(5), progress::add);

    assertThat(leftovers.liveSupervisor()).map(ProcessHandle::pid).contains(up.process().pid());
    leftovers.stopAll();
    assertThat(up.process().isAlive()).isFalse();
    assertThat(progress).containsExactly("asking weft up (pid " + up.process().pid() + ") to stop the mesh");
  }
}
