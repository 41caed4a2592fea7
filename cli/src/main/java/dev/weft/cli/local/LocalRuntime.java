package dev.weft.cli.local;

import dev.weft.controlplane.Weftd;
import dev.weft.proxy.ProxyJvm;
import dev.weft.proxy.capture.CaptureRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a {@link LocalMesh} up: weftd, then the ingress gateway and every sidecar, then each app once its
 * sidecar is ready; records every process in the state file as it starts, so nothing is lost if this process
 * dies. A job app that exits takes its sidecar down with it.
 */
public final class LocalRuntime {

  static final String WEFTD_MAIN = "dev.weft.controlplane.WeftdMain";
  static final String PROXY_MAIN = "dev.weft.proxy.ProxyMain";
  static final String GATEWAY = "istio-ingressgateway";
  private static final Pattern WEFTD_PORTS = Pattern.compile("weftd xds-port=(\\d+) http-port=(\\d+)");

  /** Sizes and limits of a run. */
  /** Sizes and limits of a run; {@code observability}, when present, runs Prometheus and Zipkin with the mesh. */
  public record Options(AddressPlan addresses, Capture capture, Duration readyTimeout, Duration stopGrace,
      String appHeap, String proxyHeap, String weftdHeap, RestartBackoff restarts,
      Optional<ObservabilityTools> observability) {
    public static Options defaults() {
      return new Options(AddressPlan.DEFAULT, Capture.NONE, Duration.ofSeconds(60), Duration.ofSeconds(5), "48m",
          ProxyJvm.DEFAULT_MAX_HEAP, "128m", RestartBackoff.DEFAULT, Optional.empty());
    }

    public Options withAddresses(AddressPlan plan) {
      return new Options(plan, capture, readyTimeout, stopGrace, appHeap, proxyHeap, weftdHeap, restarts,
          observability);
    }

    public Options withCapture(Capture mode) {
      return new Options(addresses, mode, readyTimeout, stopGrace, appHeap, proxyHeap, weftdHeap, restarts,
          observability);
    }

    public Options withObservability(ObservabilityTools tools) {
      return new Options(addresses, capture, readyTimeout, stopGrace, appHeap, proxyHeap, weftdHeap, restarts,
          Optional.of(tools));
    }
  }

  /** The proxy's group under capture: istio-iptables lets its traffic out instead of redirecting it back. */
  static final int PROXY_GID = 1337;
  /** Under capture the admin is reached from the host, so it is not redirected to the inbound listener either. */
  static final CaptureRules RULES = new CaptureRules(1337, PROXY_GID, AddressPlan.INBOUND, AddressPlan.OUTBOUND,
      List.of(AddressPlan.STATS, AddressPlan.HEALTH, 15020, AddressPlan.ADMIN));

  private final StateStore store;
  private final Supervisor supervisor;
  private final ProcessKeeper keeper;
  private final ChildCommands commands;
  private final Options options;
  private final Consumer<String> progress;
  private final AtomicReference<RuntimeState> state = new AtomicReference<>();
  /** The mesh {@link #up} runs: its mesh config file and trust domain, for weftd's and the proxies' arguments. */
  private final AtomicReference<LocalMesh> mesh = new AtomicReference<>();
  private final AtomicReference<CaptureNetwork> network = new AtomicReference<>();
  /** Prometheus and Zipkin under {@code --with-observability}, null without. */
  private final AtomicReference<ObservabilityAddons> addons = new AtomicReference<>();
  private final ProxyTokenFile tokens;
  private final WorkloadTokenIssuer workloadTokens;
  /**
   * Where each running workload sits in the address plan ({@code namespace/name} to its index), kept while it runs so
   * that workloads added or removed at run time never move the others.
   */
  private final Map<String, Integer> slots = new java.util.concurrent.ConcurrentHashMap<>();
  /** The ingress gateway's port and where it listens, while a Gateway selects it. */
  private final AtomicReference<Optional<Ingress>> ingress = new AtomicReference<>(Optional.empty());
  /** How many ports from the Gateway's own the ingress tries before giving up to the port check's message. */
  private static final int INGRESS_PORT_TRIES = 100;
  /** Watches for a Gateway that comes or goes and for workload requests, once the mesh is up. */
  private final AtomicReference<MeshChanges> changes = new AtomicReference<>();

  public LocalRuntime(StateStore store, Supervisor supervisor, ChildCommands commands, Options options,
      Consumer<String> progress) {
    this.store = store;
    this.supervisor = supervisor;
    this.commands = commands;
    this.options = options;
    this.progress = progress;
    this.tokens = new ProxyTokenFile(store.proxyTokens());
    this.workloadTokens = new WorkloadTokenIssuer(store.weftdData().resolve(Weftd.WORKLOAD_TOKENS_FILE),
        store.bootstraps());
    this.keeper = new ProcessKeeper(supervisor, options.restarts(), java.time.Clock.systemUTC(),
        store.restartRequests(), progress, this::restarted);
  }

  private void restarted(ProcessRecord process) {
    update(s -> s.replacing(process));
    if (process.role() == Role.WEFTD) {
      List<ProcessRecord> proxies = state.get().processes().stream()
          .filter(p -> (p.role() == Role.SIDECAR || p.role() == Role.GATEWAY) && !p.admin().isEmpty()).toList();
      ProxyWakeUp.after(process, proxies, new Probe(), java.time.Clock.systemUTC(), progress);
    }
  }

  /** Starts everything; on failure whatever started is stopped again before the exception leaves. */
  public RuntimeState up(LocalMesh mesh) throws StartException {
    this.mesh.set(mesh);
    ProcessHandle self = ProcessHandle.current();
    state.set(new RuntimeState(self.pid(), self.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L),
        RuntimeState.STARTING, mesh.directory().toAbsolutePath().normalize().toString(), "", 0, "", List.of()));
    store.write(state.get());
    try {
      if (options.capture() == Capture.IPTABLES) {
        network.set(CaptureNetwork.of(options.addresses().block(), mesh));
      }
      ingress.set(mesh.ingressPort().map(this::placeIngress));
      // The port check looks where the ingress will listen.
      List<String> taken = PortCheck.taken(PortCheck.endpoints(mesh.withIngressPort(ingress.get().map(Ingress::listen)),
          options.addresses(), network.get() == null));
      if (!taken.isEmpty()) {
        throw new StartException("the mesh needs " + String.join(", ", taken) + ", already in use (another mesh?"
            + " try --address-block or weft down)");
      }
      prepareDirectories(mesh);
      Optional<Supervisor.Started> zipkin = startZipkin(mesh);
      startWeftd(mesh);
      if (network.get() != null) {
        store.recordCaptureBlock(network.get().block());
        CaptureSetup.create(network.get(), mesh.services(), state.get().xdsPort(), RULES);
        progress.accept("capture network ready: " + network.get().members().size() + " namespaces on "
            + network.get().subnet() + " (bridge " + network.get().bridge() + "), iptables rules applied");
      }
      List<Supervisor.Started> proxies = startProxies(mesh);
      Optional<Supervisor.Started> prometheus = startPrometheus(mesh);
      for (Supervisor.Started proxy : proxies) {
        supervisor.awaitHealthy(proxy);
      }
      progress.accept("proxies ready: " + proxies.size());
      if (ingress.get().isPresent()) {
        checkIngressBound(proxies.getFirst(), ingress.get().get().listen());
      }
      startApps(mesh.workloads(), mesh.services());
      awaitInSync();
      if (zipkin.isPresent() && prometheus.isPresent()) {
        supervisor.awaitHealthy(zipkin.get());
        supervisor.awaitHealthy(prometheus.get());
        progress.accept("observability ready: Prometheus " + addons.get().prometheusUrl() + ", Zipkin "
            + addons.get().zipkinUrl());
      }
      String ingressUrl = ingress.get().map(i -> ingressUrl(i.listen())).orElse("");
      update(s -> s.running(ingressUrl));
      keeper.supervise();
      changes.set(MeshChanges.start(this, new ConfigInForce(store), new WorkloadRequests(store), progress));
      return state.get();
    } catch (IllegalArgumentException e) {
      // A mesh that does not fit the address plan (too many workloads, ports or TCP dependencies).
      stop();
      throw new StartException(e.getMessage());
    } catch (StartException | RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** The current state (after {@link #up}, the running mesh). */
  public RuntimeState state() {
    return state.get();
  }

  /** Stops every process this runtime started, in order, and removes the state file. */
  public int stop() {
    Optional.ofNullable(changes.get()).ifPresent(MeshChanges::close);
    keeper.stopSupervising();
    RuntimeState now = state.get();
    if (now == null) {
      return 0;
    }
    int stopped = new StopOrder(supervisor.probe(), options.stopGrace(), progress).stop(now.processes());
    if (network.get() != null) {
      CaptureSetup.remove(network.get().block());
      store.clearCaptureBlock();
    }
    store.clear();
    return stopped;
  }

  private void prepareDirectories(LocalMesh mesh) {
    try {
      Files.createDirectories(store.logs());
      Files.createDirectories(store.bootstraps());

      // A new mesh starts from its directory: what was applied to the last one is gone, as before weftd kept it.
      deleteTree(store.weftdData());
      Files.createDirectories(store.weftdData());
      deleteTree(store.observability());
      deleteTree(store.directory().resolve(WorkloadRequests.DIRECTORY));
      Files.deleteIfExists(store.proxyTokens());
      CaptureNetwork captured = network.get();
      copyConfig(mesh, store, captured == null ? text -> text
          : text -> ClusterIps.assign(text, captured.serviceAddresses()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + store.directory() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes the config directory weftd watches hold the mesh directory's config files ({@code rewrite} applied): only
   * files that differ are replaced, each in one rename, and files the directory no longer has are removed, so weftd,
   * which reloads on every change, never sees a half-copied config.
   */
  public static void copyConfig(LocalMesh mesh, StateStore store, java.util.function.UnaryOperator<String> rewrite)
      throws IOException {
    Path config = store.config();
    Files.createDirectories(config);
    java.util.Set<Path> wanted = new java.util.HashSet<>();
    for (Path file : mesh.configFiles()) {
      Path target = config.resolve(file.getFileName());
      wanted.add(target);
      String text = rewrite.apply(Files.readString(file));
      if (!Files.exists(target) || !Files.readString(target).equals(text)) {
        Path temp = Files.createTempFile(config, ".weft", ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    try (var present = Files.list(config)) {
      for (Path file : present.filter(f -> !wanted.contains(f)).toList()) {
        Files.delete(file);
      }
    }
  }

  private void startWeftd(LocalMesh mesh) throws StartException {
    Path log = fresh(store.logs().resolve("weftd.log"));
    Supervisor.Started weftd = keeper.start(weftdLaunch(mesh, log, 0, 0, ""));
    update(s -> s.with(weftd.record()));
    Matcher ports = supervisor.awaitLogLine(weftd, WEFTD_PORTS);
    int xdsPort = Integer.parseInt(ports.group(1));
    int httpPort = Integer.parseInt(ports.group(2));
    String url = "http://127.0.0.1:" + httpPort;
    // Proxies and the CLI know weftd by these ports: a restarted weftd binds them again.
    keeper.relaunchAs(weftdLaunch(mesh, log, xdsPort, httpPort, url + "/ready"));
    ProcessRecord withHealth = new ProcessRecord(weftd.record().name(), Role.WEFTD, "", weftd.record().pid(),
        weftd.record().startedAtMillis(), weftd.record().log(), url + "/ready", "");
    update(s -> s.withWeftd(url, xdsPort, withHealth));
    supervisor.awaitHealthy(new Supervisor.Started(weftd.process(), withHealth));
    progress.accept("weftd ready: xDS on 127.0.0.1:" + xdsPort + " (TLS, with the CA), API on " + url);
  }

  /**
   * weftd serves xDS and its CA over TLS (the CA runs, as it has a data directory); under capture the proxies dial it
   * at the bridge address, so its certificate names that address too. It reads the mesh directory's own
   * {@code credentials/} when there is one: in place, so replacing a credential's files there rotates it (see
   * {@link LocalMesh#credentials()}).
   */
  private ProcessKeeper.Launch weftdLaunch(LocalMesh mesh, Path log, int xdsPort, int httpPort, String health) {
    List<String> arguments = new ArrayList<>(List.of("--config-dir", store.config().toString(), "--data-dir",
        store.weftdData().toString(), "--proxy-tokens", tokens.path().toString(), "--xds-port",
        Integer.toString(xdsPort), "--http-port", Integer.toString(httpPort)));
    // weftd reads the mesh directory's own file, so editing it changes the running mesh, as editing istio's ConfigMap;
    // with observability, a copy of it that names Zipkin (edits of the original wait for the next weft up).
    Optional<Path> meshConfig = addons.get() != null ? Optional.of(addons.get().meshConfig()) : mesh.meshConfig();
    meshConfig.ifPresent(file -> arguments.addAll(List.of("--mesh-config", file.toAbsolutePath().toString())));
    mesh.credentials().ifPresent(dir -> arguments.addAll(List.of("--credentials-dir", dir.toString())));
    if (network.get() != null) {
      arguments.addAll(List.of("--xds-san", network.get().hostIp()));
    }
    return new ProcessKeeper.Launch("weftd", Role.WEFTD, "", commands.java(WEFTD_MAIN, arguments,
        options.weftdHeap()), Map.of(), log, health, "", true);
  }

  /**
   * Under {@code --with-observability}, first of all Zipkin (the slowest to start; waited for at the end), once its
   * tracing config is written for weftd.
   */
  private Optional<Supervisor.Started> startZipkin(LocalMesh mesh) throws StartException {
    if (options.observability().isEmpty()) {
      return Optional.empty();
    }
    String zipkinAddress = network.get() == null ? "127.0.0.1" : network.get().hostIp();
    addons.set(ObservabilityAddons.prepare(options.observability().get(), store, commands, mesh.meshConfig(),
        zipkinAddress));
    Supervisor.Started zipkin = keeper.start(addons.get().zipkin());
    update(s -> s.with(zipkin.record()));
    return Optional.of(zipkin);
  }

  /** Prometheus, once every proxy's admin and weftd's API are known: its targets. */
  private Optional<Supervisor.Started> startPrometheus(LocalMesh mesh) throws StartException {
    if (addons.get() == null) {
      return Optional.empty();
    }
    List<ScrapeConfig.Target> targets = new ArrayList<>();
    for (ProcessRecord proxy : state.get().processes()) {
      if (proxy.role() == Role.GATEWAY) {
        targets.add(ObservabilityAddons.proxy(proxy, "istio-system", Map.of("app", "istio-ingressgateway")));
      } else if (proxy.role() == Role.SIDECAR) {
        WorkloadSpec workload = mesh.workloads().stream().filter(w -> w.name().equals(proxy.workload()))
            .findFirst().orElseThrow();
        targets.add(ObservabilityAddons.proxy(proxy, workload.namespace(), workload.labels()));
      }
    }
    targets.add(ObservabilityAddons.weftd(state.get().weftdUrl()));
    Supervisor.Started prometheus = keeper.start(addons.get().prometheus(targets));
    update(s -> s.with(prometheus.record()));
    return Optional.of(prometheus);
  }

  /** The root weftd's CA made on its first start, which every proxy trusts weftd by (Istio's istio-ca-root-cert). */
  private Path meshRoot() {
    return store.weftdData().resolve(Weftd.ROOT_CERT_FILE);
  }

  private List<Supervisor.Started> startProxies(LocalMesh mesh) throws StartException {
    List<Supervisor.Started> proxies = new ArrayList<>();
    if (ingress.get().isPresent()) {
      proxies.add(startGateway(ingress.get().get()));
    }
    for (int i = 0; i < mesh.workloads().size(); i++) {
      WorkloadSpec workload = mesh.workloads().get(i);
      slots.put(key(workload), i);
      proxies.add(startSidecar(workload, mesh.services()));
    }
    return proxies;
  }

  /**
   * The gateway's bootstrap maps the Gateway's port to where it listens ({@code WEFT_LOCAL_PORTS.workload}, as a
   * sidecar's workload ports), and weftd binds its listener there.
   */
  private Supervisor.Started startGateway(Ingress placed) throws StartException {
    WorkloadAddress own = options.addresses().gateway();
    WorkloadAddress address = new WorkloadAddress(own.ip(), own.admin(), own.outbound(), own.health(), own.stats(),
        List.of(new WorkloadAddress.PortMapping(placed.target(), placed.listen(), placed.listen())));
    return startProxy(ProxyBootstrap.ingressGateway(address), Role.GATEWAY, "", GATEWAY, state.get().xdsPort());
  }

  /**
   * Where the ingress listens for the Gateway's port {@code target}: there when it is free, else at the next free
   * port, so two meshes of this machine (--address-block) each get an ingress; the move is said.
   */
  private Ingress placeIngress(int target) {
    for (int port = target; port < target + INGRESS_PORT_TRIES && port <= 65535; port++) {
      if (PortCheck.taken(List.of(AddressPlan.INGRESS_IP + ":" + port)).isEmpty()) {
        if (port != target) {
          progress.accept(AddressPlan.INGRESS_IP + ":" + target + " is in use (another mesh?): this mesh's ingress"
              + " listens on " + ingressUrl(port));
        }
        return new Ingress(target, port);
      }
    }
    return new Ingress(target, target);
  }

  /** Where clients reach the ingress listening on {@code listen}, in the scheme its Gateway server speaks. */
  private String ingressUrl(int listen) {
    return options.addresses().ingressUrl(mesh.get().ingressScheme(), listen);
  }

  /** The ingress gateway's listener for the Gateway's port {@code target}, bound at {@code listen}. */
  record Ingress(int target, int listen) {}

  private Supervisor.Started startSidecar(WorkloadSpec workload, List<LocalMesh.ServiceRef> services)
      throws StartException {
    ProxyBootstrap.Node node = ProxyBootstrap.sidecar(workload, address(workload, services));
    return startProxy(network.get() == null ? node : node.withCapture(), Role.SIDECAR, workload.name(),
        workload.name() + ".proxy", state.get().xdsPort());
  }

  /** Starts a proxy with a bootstrap only this user reads, carrying the token weftd admits it by. */
  private Supervisor.Started startProxy(ProxyBootstrap.Node untokened, Role role, String workload, String name,
      int xdsPort) throws StartException {
    ProxyBootstrap.Node node = untokened.withToken(tokens.issue(untokened.id()));
    Path bootstrap = store.bootstraps().resolve(name + ".yaml");
    ChildCommands launch = node.captured()
        ? commands.inNetworkNamespace(netns(node.name(), node.namespace()), java.util.OptionalInt.of(PROXY_GID))
        : commands;
    try {
      Files.deleteIfExists(bootstrap);
      Files.createFile(bootstrap, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(bootstrap, ProxyBootstrap.yaml(node, ProxyBootstrap.XdsServer.tls(
          node.captured() ? network.get().hostIp() : "127.0.0.1", xdsPort, meshRoot()),
          mesh.get().proxyStatsMatcher()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bootstrap + ": " + e.getMessage(), e);
    }
    String admin = node.address().url(node.address().admin());
    // Every proxy gets its workload certificate from weftd's CA, as the Istio agent beside Envoy does.
    String spiffeId = "spiffe://" + mesh.get().trustDomain() + "/ns/" + node.namespace() + "/sa/"
        + (node.serviceAccount().isEmpty() ? "default" : node.serviceAccount());
    String caHost = node.captured() ? network.get().hostIp() : "127.0.0.1";
    List<String> arguments = List.of("--bootstrap", bootstrap.toString(), "--ca-address", caHost + ":" + xdsPort,
        "--ca-token-file", workloadTokens.issue(name, spiffeId).toString(), "--identity", spiffeId);
    Supervisor.Started proxy = keeper.start(new ProcessKeeper.Launch(name, role, workload,
        launch.proxy(PROXY_MAIN, arguments, options.proxyHeap()),
        Map.of(), fresh(store.logs().resolve(name + ".log")),
        node.address().url(node.address().health()) + "/healthz/ready", admin, true));
    update(s -> s.with(proxy.record()));
    progress.accept("started " + name + " (" + node.id() + ")");
    return proxy;
  }

  /**
   * A port another program took after the port check fails only that listener of the gateway, which NACKs it and
   * is ready all the same: make it a clear start error instead of an ingress that never answers. (The listener
   * itself may rightly be missing: a TCP server has none until a VirtualService routes it.)
   */
  private static void checkIngressBound(Supervisor.Started gateway, int port) throws StartException {
    String bound = AddressPlan.INGRESS_IP + ":" + port;
    Optional<String> refused = Supervisor.readLines(Path.of(gateway.record().log())).stream()
        .filter(line -> line.contains("cannot bind " + bound)).findFirst();
    if (refused.isPresent()) {
      throw new StartException("the ingress gateway cannot listen on " + bound + ", already in use (another mesh?"
          + " try weft down): " + refused.get().strip());
    }
  }

  private void startApps(List<WorkloadSpec> workloads, List<LocalMesh.ServiceRef> services) throws StartException {
    List<Supervisor.Started> apps = new ArrayList<>();
    for (WorkloadSpec workload : workloads) {
      apps.add(startApp(workload, services));
    }
    for (Supervisor.Started app : apps) {
      if (!app.record().health().isEmpty()) {
        supervisor.awaitHealthy(app);
      }
      progress.accept("app ready: " + app.record().name());
    }
  }

  private Supervisor.Started startApp(WorkloadSpec workload, List<LocalMesh.ServiceRef> services)
      throws StartException {
    WorkloadAddress address = address(workload, services);
    ChildCommands launch = network.get() == null ? commands
        : commands.inNetworkNamespace(netns(workload.name(), workload.namespace()), java.util.OptionalInt.empty());
    List<String> command = switch (workload.launch()) {
      case WorkloadSpec.JavaMain main -> launch.java(main.mainClass(), main.args(), options.appHeap());
      case WorkloadSpec.Executable exe -> launch.executable(exe.command());
    };
    Map<String, String> env = network.get() == null ? appEnvironment(workload, address, services)
        : capturedAppEnvironment(workload, address, services);
    Supervisor.Started app = keeper.start(new ProcessKeeper.Launch(workload.name(), Role.APP, workload.name(),
        command, env, fresh(store.logs().resolve(workload.name() + ".log")), health(workload, address), "",
        !workload.job()));
    update(s -> s.with(app.record()));
    if (workload.job()) {
      // Off the JDK's process-reaper thread: stopping the sidecar waits for it to exit.
      app.process().onExit().thenRunAsync(() -> jobFinished(workload, app.process()),
          task -> Thread.ofVirtual().start(task));
    }
    return app;
  }

  /**
   * Returns once weftd has pushed every change and every proxy ACKed what it was sent, so the first request after
   * {@code weft up} sees every workload that registered while the others started. A proxy that keeps rejecting its
   * config does not fail the start: the mesh serves with what it has, and the warning points at proxy-status.
   */
  private void awaitInSync() {
    String url = state.get().weftdUrl() + "/debug/push_status";
    AtomicReference<Optional<PushStatus>> last = new AtomicReference<>(Optional.empty());
    if (supervisor.pollUntil(() -> {
      last.set(supervisor.probe().body(url).flatMap(PushStatus::parse));
      return last.get().map(PushStatus::converged).orElse(false);
    })) {
      progress.accept("mesh in sync: every proxy holds weftd's latest config");
      return;
    }
    progress.accept("warning: not every proxy is in sync with weftd after " + options.readyTimeout().toSeconds()
        + " s (" + last.get().map(PushStatus::toString).orElse("weftd did not answer " + url)
        + "); see weft proxy-status");
  }

  private void jobFinished(WorkloadSpec workload, Process app) {
    progress.accept("job " + workload.name() + " exited with status " + app.exitValue() + ": stopping its sidecar");
    retireAndStop(p -> p.role() == Role.SIDECAR && p.workload().equals(workload.name()));
  }

  /** Stops the processes chosen, never to be restarted. */
  private void retireAndStop(java.util.function.Predicate<ProcessRecord> chosen) {
    StopOrder stop = new StopOrder(supervisor.probe(), options.stopGrace(), progress);
    state.get().processes().stream().filter(chosen).forEach(p -> {
      keeper.retire(p.name());
      p.live().ifPresent(handle -> stop.stop(p, handle));
    });
  }

  /** Whether the workloads run in network namespaces made at start (they cannot change while the mesh runs). */
  boolean captured() {
    return network.get() != null;
  }

  /** The workloads of the running mesh. */
  List<WorkloadSpec> workloads() {
    return mesh.get().workloads();
  }

  /**
   * The mesh's workloads change while it runs: {@code removed} are stopped (app, then sidecar), then {@code added}
   * start as {@code weft up} starts workloads (sidecars, then each app once they are ready), each at the first free
   * place of the address plan; returns once the mesh is in sync with weftd again.
   */
  synchronized void changeWorkloads(List<WorkloadSpec> removed, List<WorkloadSpec> added,
      List<LocalMesh.ServiceRef> services) throws StartException {
    List<WorkloadSpec> now = new ArrayList<>(mesh.get().workloads());
    for (WorkloadSpec workload : removed) {
      retireAndStop(p -> p.role() == Role.APP && p.workload().equals(workload.name()));
      retireAndStop(p -> p.role() == Role.SIDECAR && p.workload().equals(workload.name()));
      update(s -> s.withoutWorkload(workload.name()));
      slots.remove(key(workload));
      now.removeIf(w -> key(w).equals(key(workload)));
      progress.accept("workload " + key(workload) + " stopped");
    }
    now.addAll(added);
    mesh.set(mesh.get().withWorkloads(now));
    List<Supervisor.Started> sidecars = new ArrayList<>();
    try {
      for (WorkloadSpec workload : added) {
        slots.put(key(workload), freeSlot());
        sidecars.add(startSidecar(workload, services));
      }
    } catch (IllegalArgumentException e) {
      throw new StartException(e.getMessage());
    }
    for (Supervisor.Started sidecar : sidecars) {
      supervisor.awaitHealthy(sidecar);
    }
    startApps(added, services);
    awaitInSync();
  }

  /**
   * The ingress gateway follows the config: started when a Gateway selects it ({@code port} present) and none runs,
   * stopped when none does any more; the ingress URL in the state file follows it.
   */
  synchronized void ingressChanged(Optional<Integer> port, String scheme) throws StartException {
    mesh.set(mesh.get().withIngressScheme(scheme));
    boolean running = state.get().processes().stream().anyMatch(p -> p.role() == Role.GATEWAY);
    if (port.isPresent() && !running) {
      ingress.set(Optional.of(placeIngress(port.get())));
      Supervisor.Started gateway = startGateway(ingress.get().get());
      supervisor.awaitHealthy(gateway);
      checkIngressBound(gateway, ingress.get().get().listen());
      progress.accept("a Gateway selects the ingress: istio-ingressgateway started, ingress on "
          + ingressUrl(ingress.get().get().listen()));
    } else if (port.isEmpty() && running) {
      retireAndStop(p -> p.role() == Role.GATEWAY);
      update(s -> s.withoutProcess(GATEWAY));
      progress.accept("no Gateway selects the ingress any more: istio-ingressgateway stopped");
    } else if (port.isPresent() && ingress.get().map(i -> i.target() != port.get()).orElse(true)) {
      // The running gateway maps only the port it started with; another one binds as it is.
      ingress.set(Optional.of(new Ingress(port.get(), port.get())));
    }
    if (port.isEmpty()) {
      ingress.set(Optional.empty());
    }
    mesh.set(mesh.get().withIngressPort(port));
    String url = ingress.get().map(i -> ingressUrl(i.listen())).orElse("");
    update(s -> s.running(url));
  }

  private int freeSlot() {
    int slot = 0;
    while (slots.containsValue(slot)) {
      slot++;
    }
    return slot;
  }

  private static String key(WorkloadSpec workload) {
    return workload.namespace() + "/" + workload.name();
  }

  /** What HTTP clients read as their proxy: plain requests (absolute-form) and HTTPS (CONNECT) go to the sidecar. */
  private static final List<String> PROXY_VARIABLES = List.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy");

  /**
   * Explicit capture: the app reaches every peer by name through its sidecar's outbound listener, as an HTTP
   * proxy, and is told each Service's URL and where the egress listener of each TCP service port is. A Service
   * of the app's own namespace wins over a namesake elsewhere; the workload's own env wins over everything.
   */
  static Map<String, String> appEnvironment(WorkloadSpec workload, WorkloadAddress address,
      List<LocalMesh.ServiceRef> services) {
    Map<String, String> env = new LinkedHashMap<>();
    String proxy = address.url(address.outbound());
    PROXY_VARIABLES.forEach(name -> env.put(name, proxy));
    env.put("BIND", address.ip());
    address.ports().stream().findFirst().ifPresent(port -> env.put("PORT", Integer.toString(port.app())));
    env.put("POD_NAME", workload.name());
    env.put("POD_NAMESPACE", workload.namespace());
    env.put("INSTANCE_IP", address.ip());
    env.put("PROXY_ADMIN_PORT", Integer.toString(address.admin()));
    env.put("SERVICE_ACCOUNT", workload.serviceAccount());
    List<LocalMesh.ServiceRef> ownNamespaceLast = services.stream()
        .sorted(java.util.Comparator.comparing(s -> s.namespace().equals(workload.namespace()))).toList();
    for (LocalMesh.ServiceRef service : ownNamespaceLast) {
      env.put(service.urlVariable(), service.url(workload.namespace()));
    }
    address.egress().stream()
        .sorted(java.util.Comparator.comparing(e -> e.service().namespace().equals(workload.namespace())))
        .forEach(e -> env.put(e.service().addressVariable(e.port()), address.ip() + ":" + e.listen()));
    env.putAll(workload.env());
    return env;
  }

  /**
   * Transparent capture: the app knows nothing of its sidecar (no proxy variables); it listens on every address
   * of its namespace, as in a pod, and calls peers by name: its {@code /etc/hosts} maps them to their VIPs, and
   * iptables takes the connections to the sidecar. The workload's own env wins.
   */
  static Map<String, String> capturedAppEnvironment(WorkloadSpec workload, WorkloadAddress address,
      List<LocalMesh.ServiceRef> services) {
    Map<String, String> env = new LinkedHashMap<>(appEnvironment(workload, address, services));
    PROXY_VARIABLES.forEach(env::remove);
    env.put("BIND", "0.0.0.0");
    env.putAll(workload.env());
    return env;
  }

  static String health(WorkloadSpec workload, WorkloadAddress address) {
    if (workload.job() || address.ports().isEmpty()) {
      return "";
    }
    int port = address.ports().getFirst().app();
    return workload.healthPath().map(path -> address.url(port) + path).orElse("tcp://" + address.ip() + ":" + port);
  }

  /** Where a workload's processes listen: under capture, its namespace's address with Istio's ports. */
  private WorkloadAddress address(WorkloadSpec workload, List<LocalMesh.ServiceRef> services) {
    int index = slots.get(key(workload));
    if (network.get() != null) {
      return CaptureNetwork.address(network.get().members().get(index).ip(), workload.ports());
    }
    return options.addresses().workload(index, workload.ports(), services);
  }

  private String netns(String workload, String namespace) {
    return network.get().member(workload, namespace).orElseThrow().netns();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static Path fresh(Path log) {
    try {
      Files.deleteIfExists(log);
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset log " + log + ": " + e.getMessage(), e);
    }
  }

  private void update(java.util.function.UnaryOperator<RuntimeState> change) {
    store.write(state.updateAndGet(change));
  }

  /** The record of a workload's app or sidecar, for {@code weft logs}. */
  public static Optional<ProcessRecord> find(RuntimeState state, String workload, boolean proxy) {
    Role role = proxy ? Role.SIDECAR : Role.APP;
    return state.processes().stream()
        .filter(p -> (p.workload().equals(workload) && p.role() == role) || (p.name().equals(workload)
            && p.workload().isEmpty()))
        .findFirst();
  }
}
