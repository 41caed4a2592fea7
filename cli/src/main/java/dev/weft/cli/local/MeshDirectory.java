package dev.weft.cli.local;

import dev.weft.model.ConfigError;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.kube.ServicePort;
import dev.weft.model.kube.ServiceSpec;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.model.mesh.MeshConfig;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.Server;
import dev.weft.xds.mesh.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a local mesh directory. Only the files directly in it are the mesh's config: subdirectories hold
 * files to {@code weft apply} later (the demo's next steps), so they are not loaded at start. Its
 * {@code meshconfig.yaml}, if any, is Istio's MeshConfig for weftd, checked here before anything starts.
 */
public final class MeshDirectory {

  /** The labels Istio's ingress gateway deployment carries, which Gateways and its Service select. */
  public static final Map<String, String> INGRESS_LABELS = Map.of("istio", "ingressgateway",
      "app", "istio-ingressgateway");

  /** The mesh, or every reason it cannot run. */
  public record Result(Optional<LocalMesh> mesh, List<String> errors) {
    public Result {
      errors = List.copyOf(errors);
    }
  }

  private MeshDirectory() {}

  public static Result read(Path directory) {
    if (!Files.isDirectory(directory)) {
      return failed(directory + " is not a directory");
    }
    Path workloadFile = directory.resolve(WorkloadFile.FILE_NAME);
    if (!Files.isRegularFile(workloadFile)) {
      return failed(directory + " has no " + WorkloadFile.FILE_NAME + " (the processes to run; see cli/README.md)");
    }
    List<Path> configFiles;
    try (Stream<Path> files = Files.list(directory)) {
      configFiles = files.filter(Files::isRegularFile).filter(MeshDirectory::isConfigFile)
          .filter(f -> !f.getFileName().toString().equals(WorkloadFile.FILE_NAME))
          .filter(f -> !f.getFileName().toString().equals(MeshConfigLoader.FILE_NAME)).sorted().toList();
    } catch (IOException e) {
      return failed("cannot list " + directory + ": " + e.getMessage());
    }
    LoadResult loaded = new ConfigLoader().load(configFiles);
    List<String> errors = new ArrayList<>();
    loaded.errors().stream().filter(ConfigError::isError).map(ConfigError::toString).forEach(errors::add);
    String workloadText;
    try {
      workloadText = TextFiles.readUtf8(workloadFile);
    } catch (IOException e) {
      return failed("cannot read " + workloadFile + ": " + e.getMessage());
    }
    WorkloadFile.Result workloads = WorkloadFile.parse(workloadText, workloadFile.toString(), loaded.accepted());
    errors.addAll(workloads.errors());
    Path meshConfigFile = directory.resolve(MeshConfigLoader.FILE_NAME);
    Optional<Path> meshConfig = Files.isRegularFile(meshConfigFile) ? Optional.of(meshConfigFile) : Optional.empty();
    MeshConfigLoader.Result mesh = meshConfig.map(new MeshConfigLoader()::load)
        .orElseGet(() -> new MeshConfigLoader.Result(Optional.of(MeshConfig.DEFAULT), List.of()));
    mesh.findings().stream().filter(ConfigError::isError).map(ConfigError::toString).forEach(errors::add);
    if (!errors.isEmpty()) {
      return new Result(Optional.empty(), errors);
    }
    return new Result(Optional.of(new LocalMesh(directory, configFiles, workloads.workloads(),
        services(loaded.accepted()), ingressPort(loaded.accepted()), meshConfig,
        mesh.config().orElseThrow().trustDomain(), Optional.ofNullable(mesh.config().orElseThrow().defaultConfig())
            .map(MeshConfig.DefaultConfig::proxyStatsMatcher), ingressScheme(loaded.accepted()))), List.of());
  }

  private static Result failed(String error) {
    return new Result(Optional.empty(), List.of(error));
  }

  private static boolean isConfigFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  static List<LocalMesh.ServiceRef> services(List<Resource<?>> resources) {
    List<LocalMesh.ServiceRef> services = new ArrayList<>();
    for (Resource<?> resource : resources) {
      if (resource.kind() == Kind.SERVICE) {
        ServiceSpec spec = resource.as(ServiceSpec.class).spec();
        if (spec.ports() != null && !spec.ports().isEmpty()) {
          List<Integer> tcpPorts = spec.ports().stream().filter(MeshDirectory::isTcp).map(ServicePort::port)
              .distinct().toList();
          services.add(new LocalMesh.ServiceRef(resource.name(), resource.namespace(), spec.ports().getFirst().port(),
              tcpPorts));
        }
      }
    }
    return services;
  }

  /** A port Istio serves as opaque TCP (or TLS): not HTTP by its protocol inference, and not UDP. */
  private static boolean isTcp(ServicePort port) {
    if ("UDP".equalsIgnoreCase(port.protocol()) || "SCTP".equalsIgnoreCase(port.protocol())) {
      return false;
    }
    Protocol protocol = Protocol.infer(port.name(), port.appProtocol());
    return !protocol.isHttp() && protocol != Protocol.UDP;
  }

  /**
   * The port the gateway binds for the first Gateway server that selects the ingress labels: as Istio does,
   * a server port that is a port of the gateway's own Service is bound at that port's target port.
   */
  static Optional<Integer> ingressPort(List<Resource<?>> resources) {
    return ingressServer(resources).map(server -> targetPortOf(resources, server.port().number()));
  }

  /**
   * How a client speaks to that server: {@code http} (HTTP, HTTP2, gRPC), {@code https} (HTTPS), or {@code tcp}
   * for anything else (TCP, TLS passed through, Mongo), whose ingress is no web page.
   */
  static String ingressScheme(List<Resource<?>> resources) {
    return ingressServer(resources).map(server -> {
      Protocol protocol = Protocol.parse(server.port().protocol());
      return protocol.isHttp() ? "http" : protocol == Protocol.HTTPS ? "https" : "tcp";
    }).orElse("http");
  }

  private static Optional<Server> ingressServer(List<Resource<?>> resources) {
    for (Resource<?> resource : resources) {
      if (resource.kind() != Kind.GATEWAY) {
        continue;
      }
      Gateway gateway = resource.as(Gateway.class).spec();
      if (gateway.selector() == null || !INGRESS_LABELS.entrySet().containsAll(gateway.selector().entrySet())) {
        continue;
      }
      for (Server server : gateway.servers()) {
        if (server.port() != null) {
          return Optional.of(server);
        }
      }
    }
    return Optional.empty();
  }

  private static int targetPortOf(List<Resource<?>> resources, int serverPort) {
    for (Resource<?> resource : resources) {
      if (resource.kind() != Kind.SERVICE) {
        continue;
      }
      ServiceSpec spec = resource.as(ServiceSpec.class).spec();
      if (spec.selector() == null || spec.selector().isEmpty() || spec.ports() == null
          || !INGRESS_LABELS.entrySet().containsAll(spec.selector().entrySet())) {
        continue;
      }
      for (ServicePort port : spec.ports()) {
        if (port.port() == serverPort && port.targetPort() != null && port.targetPort().number() != null) {
          return port.targetPort().number();
        }
      }
    }
    return serverPort;
  }
}
