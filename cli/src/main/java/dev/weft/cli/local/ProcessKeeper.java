package dev.weft.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the mesh's processes and, once the mesh is up, starts again any that dies (weftd, the gateway, sidecars,
 * apps), after a {@link RestartBackoff}; jobs, meant to exit, are left alone, as are processes retired on purpose (a
 * finished job's sidecar) and everything once the mesh is stopping. {@code weft restart NAME} asks for an
 * immediate restart by leaving a file named after the process in {@link StateStore#restartRequests()} before it
 * stops it.
 */
public final class ProcessKeeper implements AutoCloseable {

  /** How to start a process (again). {@code keepRunning} is false for a job. */
  public record Launch(String name, Role role, String workload, List<String> command, Map<String, String> env,
      Path log, String health, String admin, boolean keepRunning) {

    public Launch {
      command = List.copyOf(command);
      env = Map.copyOf(env);
    }
  }

  /** The keeper's view of one process: how to start it, the live one, and its restarts. */
  private record Kept(Launch launch, Supervisor.Started started, Instant startedAt, int restarts, int inARow,
      boolean retired) {

    Kept retire() {
      return new Kept(launch, started, startedAt, restarts, inARow, true);
    }
  }

  private final Supervisor supervisor;
  private final RestartBackoff backoff;
  private final Clock clock;
  private final Path restartRequests;
  private final Consumer<String> progress;
  private final Consumer<ProcessRecord> restarted;
  private final Map<String, Kept> kept = new HashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "weft-restarts");
    t.setDaemon(true);
    return t;
  });
  private boolean supervising;
  private boolean stopping;

  /**
   * @param restarted told the record of every restarted process, to replace the old one in the state file
   */
  public ProcessKeeper(Supervisor supervisor, RestartBackoff backoff, Clock clock, Path restartRequests,
      Consumer<String> progress, Consumer<ProcessRecord> restarted) {
    this.supervisor = supervisor;
    this.backoff = backoff;
    this.clock = clock;
    this.restartRequests = restartRequests;
    this.progress = progress;
    this.restarted = restarted;
  }

  /** Starts a process; it is restarted when it dies only after {@link #supervise()}. */
  public synchronized Supervisor.Started start(Launch launch) throws StartException {
    Supervisor.Started started = launchNow(launch, 0);
    kept.put(launch.name(), new Kept(launch, started, clock.instant(), 0, 0, false));
    return started;
  }

  /** From now on the process of this name is started as {@code launch} says (weftd on the ports it bound first). */
  public synchronized void relaunchAs(Launch launch) {
    Kept k = kept.get(launch.name());
    kept.put(launch.name(), new Kept(launch, k.started(), k.startedAt(), k.restarts(), k.inARow(), k.retired()));
  }

  /** The mesh is up: from now on a dying process is restarted; one already dead is restarted now. */
  public synchronized void supervise() {
    supervising = true;
    try {
      Files.createDirectories(restartRequests);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + restartRequests + ": " + e.getMessage(), e);
    }
    kept.values().stream().filter(k -> !k.started().process().isAlive()).map(k -> k.launch().name()).toList()
        .forEach(name -> exited(name, kept.get(name).started().process()));
  }

  /** Never restarts this process again (it is being stopped on purpose). */
  public synchronized void retire(String name) {
    kept.computeIfPresent(name, (n, k) -> k.retire());
  }

  /** The mesh is stopping: nothing is restarted from now on. */
  public synchronized void stopSupervising() {
    stopping = true;
    timer.shutdownNow();
  }

  private Supervisor.Started launchNow(Launch launch, int restarts) throws StartException {
    Supervisor.Started started = supervisor.start(launch.name(), launch.role(), launch.workload(), launch.command(),
        launch.env(), launch.log(), launch.health(), launch.admin());
    Process process = started.process();
    // Off the JDK's process-reaper thread, which must not block on a restart.
    process.onExit().thenRunAsync(() -> exited(launch.name(), process), task -> Thread.ofVirtual().start(task));
    return new Supervisor.Started(process, started.record().restarted(restarts));
  }

  private synchronized void exited(String name, Process process) {
    Kept k = kept.get(name);
    if (!supervising || stopping || k == null || k.retired() || !k.launch().keepRunning()
        || k.started().process() != process) {
      return;
    }
    boolean requested = consumeRequest(name);
    int inARow = requested ? 0 : backoff.inARow(k.inARow(), Duration.between(k.startedAt(), clock.instant()));
    Duration delay = requested ? Duration.ZERO : backoff.delay(inARow);
    progress.accept(name + (requested ? " stopped for a restart" : " exited with status " + process.exitValue())
        + ": restarting it" + (delay.isZero() ? "" : " in " + delay.toMillis() + " ms"));
    kept.put(name, new Kept(k.launch(), k.started(), k.startedAt(), k.restarts(), inARow, false));
    timer.schedule(() -> restart(name, process), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private synchronized void restart(String name, Process died) {
    Kept k = kept.get(name);
    if (stopping || k.retired() || k.started().process() != died) {
      return;
    }
    int restarts = k.restarts() + 1;
    try {
      Supervisor.Started started = launchNow(k.launch(), restarts);
      kept.put(name, new Kept(k.launch(), started, clock.instant(), restarts, k.inARow(), false));
      restarted.accept(started.record());
    } catch (StartException e) {
      progress.accept("cannot restart " + name + ": " + e.getMessage());
      Kept failed = new Kept(k.launch(), k.started(), clock.instant(), restarts, k.inARow(), false);
      kept.put(name, failed);
      exited(name, died);
    }
  }

  private boolean consumeRequest(String name) {
    try {
      return Files.deleteIfExists(restartRequests.resolve(name));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stopSupervising();
  }
}
