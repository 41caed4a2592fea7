package dev.weft.cli.local;

import java.util.Optional;

/**
 * A process the runtime started, as written to the state file: enough for another {@code weft} to find it
 * again ({@code pid} plus its start time, so a recycled pid is never mistaken for it), probe it and show its log.
 *
 * @param workload the workload an app or sidecar belongs to, empty for weftd and the gateway
 * @param health {@code http://...} answering 200 when ready, or {@code tcp://ip:port} accepting; empty for a job
 * @param admin the proxy admin URL of a sidecar or gateway, empty otherwise
 * @param restarts how many times {@code weft up} started this process again after it died or was restarted
 */
public record ProcessRecord(String name, Role role, String workload, long pid, long startedAtMillis, String log,
    String health, String admin, int restarts) {

  /** A record of a process that was never restarted. */
  public ProcessRecord(String name, Role role, String workload, long pid, long startedAtMillis, String log,
      String health, String admin) {
    this(name, role, workload, pid, startedAtMillis, log, health, admin, 0);
  }

  /** This record with its restart count. */
  public ProcessRecord restarted(int count) {
    return new ProcessRecord(name, role, workload, pid, startedAtMillis, log, health, admin, count);
  }

  /** The live process this record names, if it is still the same one. */
  public Optional<ProcessHandle> live() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::sameStart);
  }

  private boolean sameStart(ProcessHandle handle) {
    return handle.info().startInstant().map(start -> Math.abs(start.toEpochMilli() - startedAtMillis) < 1000)
        .orElse(true);
  }

  /** A record for a process just started. */
  public static ProcessRecord of(String name, Role role, String workload, ProcessHandle handle, String log,
      String health, String admin) {
    long started = handle.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    return new ProcessRecord(name, role, workload, handle.pid(), started, log, health, admin);
  }
}
