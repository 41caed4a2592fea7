package dev.weft.cli;

import dev.weft.cli.local.AddressPlan;
import dev.weft.cli.local.BackgroundTraffic;
import dev.weft.cli.local.Capture;
import dev.weft.cli.local.CaptureSetup;
import dev.weft.cli.local.ChildCommands;
import dev.weft.cli.local.Leftovers;
import dev.weft.cli.local.LocalMesh;
import dev.weft.cli.local.LocalRuntime;
import dev.weft.cli.local.MeshDirectory;
import dev.weft.cli.local.ObservabilityTools;
import dev.weft.cli.local.Probe;
import dev.weft.cli.local.ProcessRecord;
import dev.weft.cli.local.Role;
import dev.weft.cli.local.RuntimeState;
import dev.weft.cli.local.StartException;
import dev.weft.cli.local.StateStore;
import dev.weft.cli.local.StopOrder;
import dev.weft.cli.local.Supervisor;
import dev.weft.cli.local.TextFiles;
import dev.weft.cli.local.WorkloadFile;
import dev.weft.cli.local.WorkloadRequests;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * What {@code weft up} and {@code weft demo} share: read the directory, clean up after a killed run, start the
 * mesh, print where everything is, then stay in the foreground until stopped, or hand over to a detached
 * copy of this command and return once it reports the mesh up.
 */
final class MeshRunner {

  /** The last line of the summary; a detaching parent stops echoing its child's output there. */
  static final String SUMMARY_END = "Stop the mesh with Ctrl-C or `weft down`.";
  private static final Duration DEMO_TRAFFIC_PERIOD = Duration.ofSeconds(2);
  private static final long DEMO_TRAFFIC_LIMIT = 1800;

  private final PrintWriter out;
  private final PrintWriter err;
  private final StateStore store;
  private final AddressPlan addresses;
  private final Capture capture;
  private final boolean observability;

  MeshRunner(PrintWriter out, PrintWriter err, StateStore store, AddressPlan addresses, Capture capture,
      boolean observability) {
    this.out = out;
    this.err = err;
    this.store = store;
    this.addresses = addresses;
    this.capture = capture;
    this.observability = observability;
  }

  /** Runs the mesh in this process until it is stopped; the demo adds traffic and next steps. */
  int foreground(Path directory, boolean demoTraffic, List<String> nextSteps) {
    long startedNanos = System.nanoTime();
    MeshDirectory.Result read = MeshDirectory.read(directory);
    if (read.mesh().isEmpty()) {
      err.println("weft: " + directory + " cannot run:");
      read.errors().forEach(e -> err.println("  " + e));
      err.flush();
      return 1;
    }
    LocalMesh mesh = read.mesh().get();
    List<String> missing = capture == Capture.IPTABLES ? CaptureSetup.missingRequirements() : List.of();
    if (!missing.isEmpty()) {
      err.println("weft: --capture iptables cannot run here:");
      missing.forEach(m -> err.println("  " + m));
      err.flush();
      return 1;
    }
    LocalRuntime.Options options = LocalRuntime.Options.defaults().withAddresses(addresses).withCapture(capture);
    if (observability) {
      try {
        options = options.withObservability(ObservabilityTools.locate(DemoCommand.home(), this::progress));
      } catch (StartException e) {
        err.println("weft: " + e.getMessage());
        err.flush();
        return 1;
      }
    }
    Probe probe = new Probe();
    StopOrder stopOrder = new StopOrder(probe, LocalRuntime.Options.defaults().stopGrace(), this::progress);
    Leftovers leftovers = new Leftovers(store, stopOrder, Duration.ofSeconds(30), this::progress);
    Optional<ProcessHandle> running = leftovers.liveSupervisor();
    if (running.isPresent()) {
      err.println("weft: a mesh is already running from " + store.directory() + " (weft up, pid "
          + running.get().pid() + "); run `weft down` first");
      err.flush();
      return 1;
    }
    int cleaned = leftovers.stopAll();
    if (cleaned > 0) {
      progress("stopped " + cleaned + " processes left by a previous weft up");
    }
    progress("starting " + mesh.workloads().size() + " workloads from " + directory.toAbsolutePath().normalize()
        + " (state in " + store.directory() + ")");
    ChildCommands commands = ChildCommands.ofCurrentJvm().withProxyAotCache(StateStore.cacheDirectory());
    commands.assembleProxyAotCache().ifPresent(failed -> progress("proxies start without an ahead-of-time cache: "
        + failed));
    LocalRuntime runtime = new LocalRuntime(store, new Supervisor(probe, Clock.systemUTC(),
        LocalRuntime.Options.defaults().readyTimeout()), commands, options, this::progress);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      progress("stopping the mesh");
      progress("stopped " + runtime.stop() + " processes");
      stopped.countDown();
    }, "weft-up-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    RuntimeState state;
    try {
      state = runtime.up(mesh);
    } catch (StartException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      err.println("weft: " + e.getMessage());
      err.flush();
      return 1;
    }
    BackgroundTraffic traffic = demoTraffic && !state.ingressUrl().isEmpty()
        ? new BackgroundTraffic(URI.create(state.ingressUrl() + "/productpage"), DEMO_TRAFFIC_PERIOD,
            DEMO_TRAFFIC_LIMIT)
        : null;
    summary(state, Duration.ofNanos(System.nanoTime() - startedNanos), traffic != null, nextSteps);
    awaitQuietly(stopped);
    return 0;
  }

  /**
   * {@code weft up DIR} again while the mesh of DIR runs: the running mesh takes the directory's changes, as
   * {@code kubectl apply} of a changed directory would. weftd gets its config files again (it reloads what differs)
   * and the running {@code weft up} its workload list (workloads added, changed and removed start, restart and stop).
   * Empty when no mesh of this directory runs; a mesh of another directory is left to {@link #foreground}'s message.
   */
  Optional<Integer> updateRunning(Path directory) {
    Optional<RuntimeState> running = store.read().filter(s -> s.liveSupervisor().isPresent());
    Path wanted = directory.toAbsolutePath().normalize();
    if (running.isEmpty() || !Path.of(running.get().directory()).equals(wanted)) {
      return Optional.empty();
    }
    MeshDirectory.Result read = MeshDirectory.read(directory);
    if (read.mesh().isEmpty()) {
      err.println("weft: " + directory + " cannot run:");
      read.errors().forEach(e -> err.println("  " + e));
      err.flush();
      return Optional.of(1);
    }
    if (store.captureBlock().isPresent()) {
      err.println("weft: the mesh of " + directory + " runs under --capture iptables, whose network namespaces are made"
          + " at start: weft down, then weft up again");
      err.flush();
      return Optional.of(1);
    }
    progress("the mesh of " + wanted + " is running (weft up, pid " + running.get().supervisorPid()
        + "): updating it");
    try {
      LocalRuntime.copyConfig(read.mesh().get(), store, text -> text);
      Path workloads = directory.resolve(WorkloadFile.FILE_NAME);
      Optional<WorkloadRequests.Result> result = new WorkloadRequests(store).submit(false, workloads.toString(),
          TextFiles.readUtf8(workloads), Duration.ofSeconds(180), Clock.systemUTC());
      if (result.isEmpty()) {
        err.println("weft: the running weft up did not act on " + workloads + " within 180 s");
        err.flush();
        return Optional.of(1);
      }
      result.get().lines().forEach(out::println);
      result.get().errors().forEach(e -> err.println("weft: " + e));
      out.flush();
      err.flush();
      return Optional.of(result.get().errors().isEmpty() ? 0 : 1);
    } catch (IOException e) {
      err.println("weft: cannot update the running mesh: " + e.getMessage());
      err.flush();
      return Optional.of(1);
    }
  }

  /**
   * Starts {@code childArgs} (this command without --detach) as a detached process logging to
   * {@code supervisor.log}, echoes its progress, and returns once the mesh is up or the child failed.
   */
  int detached(List<String> childArgs) {
    Path log = store.directory().resolve("supervisor.log");
    List<String> command = new ArrayList<>(ChildCommands.ofCurrentJvm().java(WeftCommand.class.getName(),
        childArgs, "128m"));
    ProcessHandle child;
    try {
      Files.createDirectories(store.directory());
      Files.deleteIfExists(log);
      child = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start().toHandle();
    } catch (IOException e) {
      err.println("weft: cannot start the detached weft up: " + e.getMessage());
      err.flush();
      return 1;
    }
    long offset = 0;
    while (true) {
      boolean alive = child.isAlive();
      StringBuilder fresh = new StringBuilder();
      offset = readFrom(log, offset, fresh);
      for (String line : fresh.toString().lines().toList()) {
        if (!line.equals(SUMMARY_END)) {
          out.println(line);
        } else {
          out.println("weft up runs detached (pid " + child.pid() + "); its output goes to " + log + ". Stop the mesh"
              + " with `weft down`.");
          out.flush();
          return 0;
        }
      }
      out.flush();
      if (!alive) {
        err.println("weft: the mesh did not start; see " + log);
        err.flush();
        return 1;
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  private static long readFrom(Path log, long offset, StringBuilder into) {
    if (!Files.exists(log)) {
      return offset;
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length <= offset) {
        return offset;
      }
      byte[] bytes = new byte[(int) (length - offset)];
      file.seek(offset);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      int lastNewline = text.lastIndexOf('\n');
      if (lastNewline < 0) {
        return offset;
      }
      into.append(text, 0, lastNewline + 1);
      return offset + text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
    } catch (IOException e) {
      return offset;
    }
  }

  private void summary(RuntimeState state, Duration took, boolean traffic, List<String> nextSteps) {
    out.println();
    out.printf("The mesh is up (%d processes in %.1f s).%n", state.processes().size(), took.toMillis() / 1000.0);
    if (!state.ingressUrl().isEmpty()) {
      // The demo is Bookinfo, whose page is /productpage; any other mesh gets the ingress's root.
      String page = state.ingressUrl().startsWith("tcp:") ? "" : traffic ? "/productpage" : "/";
      out.println("  ingress:      " + state.ingressUrl() + page + (traffic
          ? "   (light background traffic: one request every " + DEMO_TRAFFIC_PERIOD.toSeconds() + " s)" : ""));
    }
    out.println("  weftd debug:  " + state.weftdUrl() + "/debug/configz   " + state.weftdUrl() + "/debug/syncz");
    out.println("  logs:         " + store.logs() + "   (weft logs WORKLOAD [--proxy])");
    addonUrl(state, "prometheus").ifPresent(prometheus -> out.println("  Prometheus: " + prometheus + "  Zipkin: "
        + addonUrl(state, "zipkin").orElse("-") + "   (weft top: requests, success and latency per service)"));
    for (ProcessRecord p : state.processes()) {
      if (p.role() == Role.APP) {
        // A job or a client has no port to show.
        String app = p.health().isEmpty() ? "app without a port" : "app " + p.health().replaceFirst("/health$", "");
        out.println("  " + p.name() + ": " + app + ", sidecar admin "
            + state.processes().stream().filter(s -> s.role() == Role.SIDECAR && s.workload().equals(p.workload()))
                .map(ProcessRecord::admin).findFirst().orElse("-"));
      }
    }
    if (!nextSteps.isEmpty()) {
      out.println();
      out.println("Next steps to try:");
      nextSteps.forEach(step -> out.println("  " + step));
    }
    out.println(SUMMARY_END);
    out.flush();
  }

  /** Where an add-on of the mesh answers: its health probe's root. */
  private static Optional<String> addonUrl(RuntimeState state, String name) {
    return state.processes().stream().filter(p -> p.role() == Role.ADDON && p.name().equals(name))
        .map(p -> URI.create(p.health()).resolve("/").toString().replaceFirst("/$", "")).findFirst();
  }

  private void progress(String line) {
    out.println("weft: " + line);
    out.flush();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
