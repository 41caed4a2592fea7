package dev.weft.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus and Zipkin as processes of a local mesh ({@code weft up --with-observability}), each on a free loopback
 * port it keeps across restarts, with what they need under {@link StateStore#observability()}: the mesh config that
 * makes Zipkin the tracer and Prometheus's scrape config and data. The Zipkin ServiceEntry goes into the copy of the
 * mesh's config weftd watches; the user's own files are never touched.
 */
final class ObservabilityAddons {

  static final String PROMETHEUS = "prometheus";
  static final String ZIPKIN = "zipkin";
  private static final String ZIPKIN_HEAP = "256m";

  private final ObservabilityTools tools;
  private final StateStore store;
  private final ChildCommands commands;
  private final int zipkinPort;
  private final int prometheusPort;

  private ObservabilityAddons(ObservabilityTools tools, StateStore store, ChildCommands commands, int zipkinPort,
      int prometheusPort) {
    this.tools = tools;
    this.store = store;
    this.commands = commands;
    this.zipkinPort = zipkinPort;
    this.prometheusPort = prometheusPort;
  }

  /**
   * Picks the ports and writes the tracing config: the mesh config weftd is to read instead of the mesh's own, and
   * the ServiceEntry that makes Zipkin's host {@code zipkinAddress} (loopback, or the bridge under capture).
   */
  static ObservabilityAddons prepare(ObservabilityTools tools, StateStore store, ChildCommands commands,
      Optional<Path> userMeshConfig, String zipkinAddress) {
    ObservabilityAddons addons = new ObservabilityAddons(tools, store, commands, freePort(), freePort());
    try {
      Files.createDirectories(store.observability());
      Files.deleteIfExists(store.logs().resolve(ZIPKIN + ".log"));
      Files.deleteIfExists(store.logs().resolve(PROMETHEUS + ".log"));
      String user = userMeshConfig.isPresent() ? Files.readString(userMeshConfig.get()) : "";
      Files.writeString(addons.meshConfig(), TracingConfig.meshConfig(user));
      Files.writeString(store.config().resolve("weft-zipkin.yaml"),
          TracingConfig.serviceEntry(zipkinAddress, addons.zipkinPort));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the observability config in " + store.directory() + ": "
          + e.getMessage(), e);
    }
    return addons;
  }

  /** The mesh config weftd reads: the mesh's own with Zipkin as its tracer. */
  Path meshConfig() {
    return store.observability().resolve("meshconfig.yaml");
  }

  String zipkinUrl() {
    return "http://127.0.0.1:" + zipkinPort;
  }

  String prometheusUrl() {
    return "http://127.0.0.1:" + prometheusPort;
  }

  /** The Zipkin server, keeping spans in memory (a restart forgets them). */
  ProcessKeeper.Launch zipkin() {
    return new ProcessKeeper.Launch(ZIPKIN, Role.ADDON, "", commands.jar(tools.zipkinJar(), ZIPKIN_HEAP),
        Map.of("QUERY_PORT", Integer.toString(zipkinPort), "STORAGE_TYPE", "mem"),
        store.logs().resolve(ZIPKIN + ".log"), zipkinUrl() + "/health", "", true);
  }

  /** Prometheus scraping {@code targets} every second, its data under the state directory. */
  ProcessKeeper.Launch prometheus(List<ScrapeConfig.Target> targets) {
    Path config = store.observability().resolve("prometheus.yml");
    try {
      Files.writeString(config, ScrapeConfig.yaml(targets));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config + ": " + e.getMessage(), e);
    }
    List<String> command = commands.executable(List.of(tools.prometheus().toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + store.observability().resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:" + prometheusPort));
    return new ProcessKeeper.Launch(PROMETHEUS, Role.ADDON, "", command, Map.of(),
        store.logs().resolve(PROMETHEUS + ".log"), prometheusUrl() + "/-/ready", "", true);
  }

  /** A proxy's target: its admin serves {@code /stats/prometheus}. */
  static ScrapeConfig.Target proxy(ProcessRecord proxy, String namespace, Map<String, String> podLabels) {
    Map<String, String> labels = new java.util.HashMap<>(Map.of("namespace", namespace, "pod",
        proxy.workload().isEmpty() ? proxy.name() : proxy.workload()));
    Optional.ofNullable(podLabels.get("app")).ifPresent(app -> labels.put("app", app));
    return new ScrapeConfig.Target(ScrapeConfig.PROXY_JOB, hostPort(proxy.admin()), labels);
  }

  /** weftd's target, labelled as istiod's pod is, which Istio's pilot dashboard selects by ({@code app="istiod"}). */
  static ScrapeConfig.Target weftd(String weftdUrl) {
    return new ScrapeConfig.Target(ScrapeConfig.PILOT_JOB, hostPort(weftdUrl),
        Map.of("namespace", "istio-system", "pod", "weftd", "app", "istiod"));
  }

  private static String hostPort(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + uri.getPort();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
    }
  }
}
