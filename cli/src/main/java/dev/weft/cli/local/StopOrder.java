package dev.weft.cli.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Stops a mesh in Istio's order: every app first (SIGTERM, then SIGKILL after a grace period), then each
 * sidecar drains its listeners and stops, then the gateway, then weftd. Works from records alone, so a
 * {@code weft down} can stop what a killed {@code weft up} left behind.
 */
public final class StopOrder {

  private final Probe probe;
  private final Duration grace;
  private final Consumer<String> progress;

  public StopOrder(Probe probe, Duration grace, Consumer<String> progress) {
    this.probe = probe;
    this.grace = grace;
    this.progress = progress;
  }

  /** Stops every live process of the records; returns how many were running. */
  public int stop(List<ProcessRecord> records) {
    int running = 0;
    for (Role role : Role.values()) {
      List<CompletableFuture<Void>> stopping = new ArrayList<>();
      for (ProcessRecord record : records) {
        if (record.role() == role) {
          Optional<ProcessHandle> live = record.live();
          if (live.isPresent()) {
            running++;
            stopping.add(CompletableFuture.runAsync(() -> stop(record, live.get()),
                command -> Thread.ofVirtual().start(command)));
          }
        }
      }
      stopping.forEach(CompletableFuture::join);
    }
    return running;
  }

  /** Stops one process: a proxy drains first. */
  public void stop(ProcessRecord record, ProcessHandle process) {
    if (!record.admin().isEmpty()) {
      probe.post(record.admin() + "/drain_listeners");
    }
    process.destroy();
    if (!exited(process)) {
      progress.accept(record.name() + " did not stop within " + grace.toSeconds() + " s: killing it");
      process.destroyForcibly();
      exited(process);
    }
  }

  private boolean exited(ProcessHandle process) {
    try {
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
