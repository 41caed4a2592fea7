package dev.weft.cli;

import dev.weft.cli.local.ProcessRecord;
import dev.weft.cli.local.ProcessStats;
import dev.weft.cli.local.Probe;
import dev.weft.cli.local.RuntimeState;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft status}: every process of the local mesh with its health, memory and CPU. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"List the processes of the local mesh with their health, resident memory and CPU.",
        "Exit status: 0 all healthy, 1 some process is down or unhealthy, 3 no mesh is running."})
final class StatusCommand implements Callable<Integer> {

  static final int NOT_RUNNING = 3;

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StateDirOption.Found read = state.running(out, spec.commandLine().getErr());
    if (read.state().isEmpty()) {
      return read.exitCode();
    }
    RuntimeState mesh = read.state().get();
    out.println("mesh " + mesh.directory() + " (" + mesh.phase() + ", weft up pid " + mesh.supervisorPid()
        + (mesh.liveSupervisor().isPresent() ? "" : ", weft up is gone: run weft down") + ")");
    if (!mesh.ingressUrl().isEmpty()) {
      out.println("ingress " + mesh.ingressUrl() + "   weftd " + mesh.weftdUrl());
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NAME", "ROLE", "PID", "RESTARTS", "HEALTH", "RSS", "CPU", "PROBE"));
    Probe probe = new Probe();
    Instant now = Instant.now();
    boolean allHealthy = true;
    for (ProcessRecord p : mesh.processes()) {
      Optional<ProcessHandle> live = p.live();
      String health;
      String rss = "-";
      String cpu = "-";
      if (live.isEmpty()) {
        health = "exited";
        allHealthy = false;
      } else {
        Probe.Outcome outcome = p.health().isEmpty() ? new Probe.Outcome(true, "running") : probe.check(p.health());
        health = outcome.detail();
        allHealthy &= outcome.healthy();
        Optional<ProcessStats> stats = ProcessStats.of(live.get(), now);
        if (stats.isPresent()) {
          rss = stats.get().rssKiB() / 1024 + " MB";
          cpu = String.format("%.1f%%", stats.get().cpuPercent());
        }
      }
      rows.add(List.of(p.name(), p.role().name().toLowerCase(java.util.Locale.ROOT), Long.toString(p.pid()),
          Integer.toString(p.restarts()), health, rss, cpu, p.health().isEmpty() ? "-" : p.health()));
    }
    Table.print(out, rows);
    return allHealthy ? 0 : 1;
  }
}
