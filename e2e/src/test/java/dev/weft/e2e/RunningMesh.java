package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * A mesh one test class starts with {@code weft up DIR --detach}, and the commands a task runs against it, each
 * through the {@code weft} command line as a user types them.
 */
final class RunningMesh {
  private final Path stateDir;
  private final MeshState state;

  private RunningMesh(Path stateDir, MeshState state) {
    this.stateDir = stateDir;
    this.state = state;
  }

  /** Starts the mesh of {@code directory} on its own address block, so suites never share a port. */
  static RunningMesh up(Path directory, Path stateDir, int addressBlock) {
    return up(directory, stateDir, addressBlock, java.util.Map.of());
  }

  /** The same, with environment variables for every process of the mesh (such as the proxies' SECRET_TTL). */
  static RunningMesh up(Path directory, Path stateDir, int addressBlock, java.util.Map<String, String> environment) {
    Weft.Run up = Weft.run(environment, "up", directory.toString(), "--detach", "--state-dir", stateDir.toString(),
        "--address-block", Integer.toString(addressBlock));
    assertThat(up.exitCode()).as(up.output()).isZero();
    return new RunningMesh(stateDir, MeshState.read(stateDir).orElseThrow());
  }

  /** The mesh a test started itself (with options of its own) into {@code stateDir}. */
  static RunningMesh started(Path stateDir) {
    return new RunningMesh(stateDir, MeshState.read(stateDir).orElseThrow());
  }

  void down() {
    Weft.Run down = Weft.run("down", "--state-dir", stateDir.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
  }

  void apply(Path file) {
    Weft.Run apply = Weft.run("apply", "-f", file.toString(), "--state-dir", stateDir.toString());
    assertThat(apply.exitCode()).as(apply.output()).isZero();
  }

  void delete(Path file) {
    Weft.Run delete = Weft.run("delete", "-f", file.toString(), "--state-dir", stateDir.toString());
    assertThat(delete.exitCode()).as(delete.output()).isZero();
  }

  /** {@code weft <args> --state-dir <this mesh>}, which must succeed; its output. */
  String weft(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--state-dir";
    all[args.length + 1] = stateDir.toString();
    Weft.Run run = Weft.run(all);
    assertThat(run.exitCode()).as(run.output()).isZero();
    return run.output();
  }

  /** The ingress gateway's root URL, ending in {@code /}. */
  String ingress() {
    return URI.create(state.ingressUrl()).resolve("/").toString();
  }

  /** Where a workload's app listens, reached directly as {@code kubectl port-forward} would. */
  String app(String workload) {
    return URI.create(state.process(workload).health()).resolve("/").toString();
  }

  /** The admin URL of a workload's sidecar ({@code /stats}, {@code /config_dump}). */
  String sidecarAdmin(String workload) {
    return state.process(workload + ".proxy").admin();
  }

  String gatewayAdmin() {
    return state.processes().stream().filter(p -> p.role().equals("GATEWAY")).findFirst()
        .orElseThrow(() -> new AssertionError("no gateway in " + state.processes())).admin();
  }

  Path log(String processName) {
    return stateDir.resolve("logs").resolve(processName + ".log");
  }

  /**
   * {@code ip:port} of the egress listener a workload's sidecar has for a TCP service port, as its app is told in
   * {@code <SERVICE>_<PORT>_ADDR}; read from the sidecar's bootstrap ({@code WEFT_LOCAL_PORTS.egress}).
   */
  InetSocketAddress egressListener(String workload, String host, int port) {
    JsonNode metadata = sidecarMetadata(workload);
    for (JsonNode egress : metadata.path("WEFT_LOCAL_PORTS").path("egress")) {
      if (egress.path("host").asText().equals(host) && egress.path("port").asInt() == port) {
        return new InetSocketAddress(metadata.path("INSTANCE_IPS").asText().split(",")[0],
            egress.path("listen").asInt());
      }
    }
    throw new AssertionError(workload + "'s sidecar has no egress listener for " + host + ":" + port + ": " + metadata);
  }

  /**
   * {@code ip:port} of a workload's sidecar outbound listener, the HTTP proxy its app is given in {@code HTTP_PROXY}
   * (a client there sends absolute-form requests, as the app does); from the bootstrap's
   * {@code WEFT_LOCAL_PORTS.outbound}.
   */
  InetSocketAddress outboundListener(String workload) {
    JsonNode metadata = sidecarMetadata(workload);
    return new InetSocketAddress(metadata.path("INSTANCE_IPS").asText().split(",")[0],
        metadata.path("WEFT_LOCAL_PORTS").path("outbound").asInt());
  }

  /**
   * {@code ip:port} where a workload's sidecar takes inbound traffic for its container port {@code port}: what a
   * caller without a sidecar dials (from {@code WEFT_LOCAL_PORTS.workload}).
   */
  InetSocketAddress inboundListener(String workload, int port) {
    JsonNode metadata = sidecarMetadata(workload);
    for (JsonNode inbound : metadata.path("WEFT_LOCAL_PORTS").path("workload")) {
      if (inbound.path("port").asInt() == port) {
        return new InetSocketAddress(metadata.path("INSTANCE_IPS").asText().split(",")[0],
            inbound.path("proxy").asInt());
      }
    }
    throw new AssertionError(workload + "'s sidecar has no inbound listener for port " + port + ": " + metadata);
  }

  /** weftd's data directory: its CA's root certificate is {@code ca/root-cert.pem}. */
  Path weftdData() {
    return stateDir.resolve("weftd");
  }

  private JsonNode sidecarMetadata(String workload) {
    try {
      return new ObjectMapper(new YAMLFactory())
          .readTree(stateDir.resolve("bootstrap").resolve(workload + ".proxy.yaml").toFile()).path("node")
          .path("metadata");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
