package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keeper restarts real processes that die, and leaves jobs, retired processes and a stopping mesh alone. */
class ProcessKeeperTest {

  @TempDir Path dir;
  private final List<String> progress = new CopyOnWriteArrayList<>();
  private final Map<String, ProcessRecord> restarted = new ConcurrentHashMap<>();
  private final List<Process> started = new CopyOnWriteArrayList<>();
  private ProcessKeeper keeper;

  private ProcessKeeper keeper(RestartBackoff backoff) {
    keeper = new ProcessKeeper(new Supervisor(new Probe(), Clock.systemUTC(), Duration.ofSeconds(10)), backoff,
        Clock.systemUTC(), dir.resolve("restart"), progress::add, record -> restarted.put(record.name(), record));
    return keeper;
  }

  @AfterEach
  void stop() {
    keeper.close();
    restarted.values().forEach(r -> ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly));
    started.forEach(Process::destroyForcibly);
  }

  private Supervisor.Started start(String name, boolean keepRunning) throws StartException {
    Supervisor.Started s = keeper.start(new ProcessKeeper.Launch(name, Role.APP, name,
        Shell.service(name, dir.resolve("journal").toString()), Map.of(), dir.resolve(name + ".log"), "", "",
        keepRunning));
    started.add(s.process());
    return s;
  }

  @Test
  void aProcessThatIsKilledIsStartedAgainWithItsCountAndLog() throws Exception {
    keeper(new RestartBackoff(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(60)));
    Supervisor.Started app = start("details-v1", true);
    keeper.supervise();
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(dir.resolve("details-v1.log")).contains("ready"));

    app.process().toHandle().destroyForcibly();

    await().atMost(Duration.ofSeconds(10)).until(() -> restarted.containsKey("details-v1"));
    ProcessRecord again = restarted.get("details-v1");
    assertThat(again.pid()).isNotEqualTo(app.process().pid());
    assertThat(again.live()).isPresent();
    assertThat(again.restarts()).isEqualTo(1);
    assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("details-v1 exited with status")
        .endsWith("restarting it in 50 ms"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readAllLines(dir.resolve("details-v1.log")))
        .as("the restarted process appends to the log").containsExactly("ready", "ready"));

    ProcessHandle.of(again.pid()).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> restarted.get("details-v1").restarts() == 2);
    assertThat(progress).as("a second crash in a row waits twice as long")
        .anySatisfy(line -> assertThat(line).endsWith("restarting it in 100 ms"));
  }

  @Test
  void aRequestedRestartHappensAtOnceWhateverTheBackoff() throws Exception {
    keeper(new RestartBackoff(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1)));
    Supervisor.Started app = start("weftd", true);
    keeper.supervise();
    Files.writeString(dir.resolve("restart").resolve("weftd"), "");

    app.process().toHandle().destroy();

    await().atMost(Duration.ofSeconds(10)).until(() -> restarted.containsKey("weftd"));
    assertThat(restarted.get("weftd").live()).isPresent();
    assertThat(dir.resolve("restart").resolve("weftd")).doesNotExist();
    assertThat(progress).contains("weftd stopped for a restart: restarting it");
  }

  @Test
  void jobsRetiredProcessesAndAStoppingMeshAreNotRestarted() throws Exception {
    keeper(new RestartBackoff(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(60)));
    Supervisor.Started job = start("job", false);
    Supervisor.Started retired = start("job.proxy", true);
    Supervisor.Started late = start("productpage", true);
    Supervisor.Started marker = start("ratings", true);
    keeper.supervise();

    keeper.retire("job.proxy");
    job.process().toHandle().destroyForcibly();
    retired.process().toHandle().destroyForcibly();
    job.process().onExit().join();
    retired.process().onExit().join();
    marker.process().toHandle().destroyForcibly();
    await("a crash after them is restarted").atMost(Duration.ofSeconds(10)).until(() -> restarted.containsKey("ratings"));
    keeper.stopSupervising();
    late.process().toHandle().destroyForcibly();
    late.process().onExit().join();

    assertThat(restarted).containsOnlyKeys("ratings");
  }

  @Test
  void aProcessDeadBeforeSupervisionStartsIsRestartedWhenItStarts() throws Exception {
    keeper(new RestartBackoff(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(60)));
    Supervisor.Started app = start("reviews-v1", true);
    app.process().toHandle().destroyForcibly();
    app.process().onExit().join();
    assertThat(restarted).as("not during start: a process that dies then fails weft up").isEmpty();

    keeper.supervise();

    await().atMost(Duration.ofSeconds(10)).until(() -> restarted.containsKey("reviews-v1"));
  }
}
