package dev.weft.cli;

import dev.weft.cli.local.LocalRuntime;
import dev.weft.cli.local.Probe;
import dev.weft.cli.local.ProcessRecord;
import dev.weft.cli.local.RuntimeState;
import dev.weft.cli.local.StateStore;
import dev.weft.cli.local.StopOrder;
import dev.weft.cli.local.Supervisor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft restart NAME}: stops one process of the local mesh (a proxy drains first) and has the supervising
 * {@code weft up} start it again at once, then waits until the new one is healthy.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = {"Restart one process of the local mesh (a NAME from weft status) and wait until it is healthy.",
        "Exit status: 0 restarted and healthy, 1 otherwise."})
final class RestartCommand implements Callable<Integer> {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Parameters(paramLabel = "NAME", description = "The process, as weft status names it (weftd, reviews-v1.proxy).")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StateStore store = state.store();
    try {
      Optional<RuntimeState> mesh = store.read();
      if (mesh.isEmpty()) {
        err.println("weft: no local mesh is running (" + store.directory() + ")");
        return 1;
      }
      Optional<ProcessRecord> target = mesh.get().processes().stream().filter(p -> p.name().equals(name)).findFirst();
      if (target.isEmpty()) {
        err.println("weft: no process \"" + name + "\"; known: " + String.join(", ",
            mesh.get().processes().stream().map(ProcessRecord::name).toList()));
        return 1;
      }
      if (mesh.get().liveSupervisor().isEmpty()) {
        err.println("weft: weft up (pid " + mesh.get().supervisorPid() + ") is gone, nothing would start " + name
            + " again; run weft down and weft up");
        return 1;
      }
      Optional<ProcessHandle> live = target.get().live();
      if (live.isEmpty()) {
        err.println("weft: " + name + " is not running; weft up restarts it after its back-off (see weft status)");
        return 1;
      }
      Files.createDirectories(store.restartRequests());
      Files.writeString(store.restartRequests().resolve(name), "");
      Probe probe = new Probe();
      new StopOrder(probe, LocalRuntime.Options.defaults().stopGrace(), line -> out.println("weft: " + line))
          .stop(target.get(), live.get());
      Supervisor waiting = new Supervisor(probe, Clock.systemUTC(), READY_TIMEOUT);
      AtomicReference<Optional<ProcessRecord>> restarted = new AtomicReference<>(Optional.empty());
      boolean healthy = waiting.pollUntil(() -> {
        restarted.set(store.read().flatMap(s -> s.processes().stream()
            .filter(p -> p.name().equals(name) && p.pid() != target.get().pid()).findFirst())
            .filter(p -> p.live().isPresent()));
        return restarted.get().map(p -> p.health().isEmpty() || probe.check(p.health()).healthy()).orElse(false);
      });
      if (!healthy) {
        err.println("weft: " + name + " was not " + (restarted.get().isEmpty() ? "started again" : "healthy")
            + " within " + READY_TIMEOUT.toSeconds() + " s; see weft status and weft logs");
        return 1;
      }
      out.println("weft: restarted " + name + " (pid " + restarted.get().get().pid() + ", restarts "
          + restarted.get().get().restarts() + ")");
      return 0;
    } catch (IOException e) {
      err.println("weft: cannot ask for the restart of " + name + ": " + e.getMessage());
      return 1;
    } catch (UncheckedIOException e) {
      err.println("weft: " + e.getMessage());
      return 1;
    }
  }
}
