package dev.weft.cli.local;

import java.util.List;
import java.util.Optional;

/**
 * The state file of a running local mesh ({@code state.json} in the state directory): who supervises it,
 * where it is reached, and every process it started.
 *
 * @param phase {@code starting} until everything is ready, then {@code running}
 * @param ingressUrl empty when the mesh has no ingress Gateway
 */
public record RuntimeState(long supervisorPid, long supervisorStartedAtMillis, String phase, String directory,
    String weftdUrl, int xdsPort, String ingressUrl, List<ProcessRecord> processes) {

  public static final String STARTING = "starting";
  public static final String RUNNING = "running";

  public RuntimeState {
    processes = List.copyOf(processes);
  }

  public Optional<ProcessHandle> liveSupervisor() {
    return new ProcessRecord("weft up", Role.WEFTD, "", supervisorPid, supervisorStartedAtMillis, "", "", "").live();
  }

  public RuntimeState with(ProcessRecord process) {
    List<ProcessRecord> more = new java.util.ArrayList<>(processes);
    more.add(process);
    return new RuntimeState(supervisorPid, supervisorStartedAtMillis, phase, directory, weftdUrl, xdsPort,
        ingressUrl, more);
  }

  /** The process of the same name replaced by {@code process} (started again). */
  public RuntimeState replacing(ProcessRecord process) {
    List<ProcessRecord> updated = processes.stream().map(p -> p.name().equals(process.name()) ? process : p).toList();
    return new RuntimeState(supervisorPid, supervisorStartedAtMillis, phase, directory, weftdUrl, xdsPort, ingressUrl,
        updated);
  }

  /** weftd is up: its URL and xDS port are known, and its record gains its health probe. */
  public RuntimeState withWeftd(String url, int xds, ProcessRecord weftd) {
    List<ProcessRecord> updated = processes.stream().map(p -> p.pid() == weftd.pid() ? weftd : p).toList();
    return new RuntimeState(supervisorPid, supervisorStartedAtMillis, phase, directory, url, xds, ingressUrl,
        updated);
  }

  /** Without the app and sidecar of a workload removed at run time. */
  public RuntimeState withoutWorkload(String workload) {
    return keeping(p -> !p.workload().equals(workload) || (p.role() != Role.APP && p.role() != Role.SIDECAR));
  }

  /** Without the process of this name (the ingress gateway once no Gateway selects it). */
  public RuntimeState withoutProcess(String name) {
    return keeping(p -> !p.name().equals(name));
  }

  private RuntimeState keeping(java.util.function.Predicate<ProcessRecord> kept) {
    return new RuntimeState(supervisorPid, supervisorStartedAtMillis, phase, directory, weftdUrl, xdsPort, ingressUrl,
        processes.stream().filter(kept).toList());
  }

  public RuntimeState running(String ingress) {
    return new RuntimeState(supervisorPid, supervisorStartedAtMillis, RUNNING, directory, weftdUrl, xdsPort,
        ingress, processes);
  }
}
