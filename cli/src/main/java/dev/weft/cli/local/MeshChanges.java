package dev.weft.cli.local;

import dev.weft.model.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The running mesh follows what changes while it runs, as a cluster follows its API: a Gateway for the ingress
 * applied or deleted (weftd's config, {@link ConfigInForce}) starts or stops the ingress gateway, and a workload
 * request ({@link WorkloadRequests}) starts, restarts or stops workloads. One thread looks every
 * {@value #PERIOD_MILLIS} ms, so changes never overlap.
 */
final class MeshChanges implements AutoCloseable {

  static final long PERIOD_MILLIS = 300;

  private final LocalRuntime runtime;
  private final ConfigInForce config;
  private final WorkloadRequests requests;
  private final Consumer<String> progress;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "weft-mesh-changes");
    t.setDaemon(true);
    return t;
  });
  /** The config files as last seen; only the timer thread reads or writes it. */
  private String fingerprint;

  private MeshChanges(LocalRuntime runtime, ConfigInForce config, WorkloadRequests requests,
      Consumer<String> progress) {
    this.runtime = runtime;
    this.config = config;
    this.requests = requests;
    this.progress = progress;
    this.fingerprint = config.fingerprint();
  }

  static MeshChanges start(LocalRuntime runtime, ConfigInForce config, WorkloadRequests requests,
      Consumer<String> progress) {
    MeshChanges changes = new MeshChanges(runtime, config, requests, progress);
    changes.timer.scheduleWithFixedDelay(changes::look, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    return changes;
  }

  private void look() {
    try {
      String now = config.fingerprint();
      if (!now.equals(fingerprint)) {
        fingerprint = now;
        List<Resource<?>> resources = config.resources();
        runtime.ingressChanged(MeshDirectory.ingressPort(resources), MeshDirectory.ingressScheme(resources));
      }
    } catch (StartException | RuntimeException e) {
      progress.accept("cannot follow the config's ingress Gateway: " + e.getMessage());
    }
    requests.take().ifPresent(request -> requests.answer(handle(request)));
  }

  private WorkloadRequests.Result handle(WorkloadRequests.Request request) {
    if (runtime.captured()) {
      return failed(request, "workloads cannot change while a mesh runs under --capture iptables (their network"
          + " namespaces are made at start): weft down, then weft up again");
    }
    List<Resource<?>> resources = config.resources();
    WorkloadFile.Result parsed = WorkloadFile.parse(request.text(), request.source(), resources);
    if (!parsed.errors().isEmpty()) {
      return new WorkloadRequests.Result(request.id(), List.of(), parsed.errors());
    }
    WorkloadChanges changes = request.delete() ? WorkloadChanges.deleting(runtime.workloads(), parsed.workloads())
        : WorkloadChanges.applying(runtime.workloads(), parsed.workloads());
    List<String> errors = new ArrayList<>();
    changes.notFound().forEach(missing -> errors.add(request.source() + ": " + missing + " not found"));
    try {
      runtime.changeWorkloads(changes.removed(), changes.added(), MeshDirectory.services(resources));
    } catch (StartException | RuntimeException e) {
      errors.add(e.getMessage());
    }
    return new WorkloadRequests.Result(request.id(), changes.lines(), errors);
  }

  private static WorkloadRequests.Result failed(WorkloadRequests.Request request, String error) {
    return new WorkloadRequests.Result(request.id(), List.of(), List.of(error));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
