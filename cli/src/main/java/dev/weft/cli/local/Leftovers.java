package dev.weft.cli.local;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Stops a mesh recorded in a state directory: asks its {@code weft up} to stop it in order (SIGTERM runs its
 * shutdown hook), then stops whatever is still alive itself, which is all of it when {@code weft up} was killed.
 */
public final class Leftovers {

  private final StateStore store;
  private final StopOrder stopOrder;
  private final Duration supervisorGrace;
  private final Consumer<String> progress;

  public Leftovers(StateStore store, StopOrder stopOrder, Duration supervisorGrace, Consumer<String> progress) {
    this.store = store;
    this.stopOrder = stopOrder;
    this.supervisorGrace = supervisorGrace;
    this.progress = progress;
  }

  /** A {@code weft up} that is still supervising this state directory, other than this process. */
  public Optional<ProcessHandle> liveSupervisor() {
    return store.read().flatMap(RuntimeState::liveSupervisor)
        .filter(handle -> handle.pid() != ProcessHandle.current().pid());
  }

  /**
   * Stops everything recorded, then removes the capture network if the mesh had one; returns the number of
   * processes that were still running.
   */
  public int stopAll() {
    int running = stopProcesses();
    store.captureBlock().ifPresent(block -> {
      int removed = CaptureSetup.remove(block);
      progress.accept("removed the capture network of block " + block + " (" + removed + " namespaces)");
      store.clearCaptureBlock();
    });
    return running;
  }

  private int stopProcesses() {
    Optional<RuntimeState> state = store.read();
    if (state.isEmpty()) {
      return 0;
    }
    int running = (int) state.get().processes().stream().filter(p -> p.live().isPresent()).count();
    Optional<ProcessHandle> supervisor = state.get().liveSupervisor()
        .filter(handle -> handle.pid() != ProcessHandle.current().pid());
    if (supervisor.isPresent()) {
      progress.accept("asking weft up (pid " + supervisor.get().pid() + ") to stop the mesh");
      supervisor.get().destroy();
      if (!exited(supervisor.get())) {
        progress.accept("weft up did not stop within " + supervisorGrace.toSeconds() + " s: stopping its processes");
        supervisor.get().destroyForcibly();
      }
    }
    stopOrder.stop(state.get().processes());
    store.clear();
    return running;
  }

  private boolean exited(ProcessHandle process) {
    try {
      process.onExit().get(supervisorGrace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
