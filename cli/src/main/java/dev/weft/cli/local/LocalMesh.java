package dev.weft.cli.local;

import dev.weft.model.mesh.MeshConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code weft up DIR} runs: the directory's Istio/Kubernetes files (served by weftd), its workloads, the
 * Services apps are told about, and the port the ingress gateway listens on when a Gateway selects it.
 *
 * @param meshConfig the directory's {@code meshconfig.yaml}, if any, for weftd's {@code --mesh-config}
 * @param trustDomain the trust domain of the workloads' SPIFFE identities: the mesh config's (Istio's cluster.local)
 * @param proxyStatsMatcher the mesh config's {@code defaultConfig.proxyStatsMatcher}: more Envoy stats every proxy shows
 * @param ingressScheme how clients speak to the ingress: {@code http}, {@code https} or {@code tcp}
 */
public record LocalMesh(
    Path directory,
    List<Path> configFiles,
    List<WorkloadSpec> workloads,
    List<ServiceRef> services,
    Optional<Integer> ingressPort,
    Optional<Path> meshConfig,
    String trustDomain,
    Optional<MeshConfig.ProxyStatsMatcher> proxyStatsMatcher,
    String ingressScheme) {

  /** A mesh without a mesh config: Istio's defaults. */
  public LocalMesh(Path directory, List<Path> configFiles, List<WorkloadSpec> workloads, List<ServiceRef> services,
      Optional<Integer> ingressPort) {
    this(directory, configFiles, workloads, services, ingressPort, Optional.empty(), MeshConfig.DEFAULT_TRUST_DOMAIN,
        Optional.empty(), "http");
  }

  /** The same mesh running other workloads (changed at run time). */
  public LocalMesh withWorkloads(List<WorkloadSpec> running) {
    return new LocalMesh(directory, configFiles, running, services, ingressPort, meshConfig, trustDomain,
        proxyStatsMatcher, ingressScheme);
  }

  /** The same mesh with its ingress gateway on another port, or none (a Gateway applied or deleted). */
  public LocalMesh withIngressPort(Optional<Integer> port) {
    return new LocalMesh(directory, configFiles, workloads, services, port, meshConfig, trustDomain,
        proxyStatsMatcher, ingressScheme);
  }

  /** The same mesh whose ingress clients speak {@code scheme}. */
  public LocalMesh withIngressScheme(String scheme) {
    return new LocalMesh(directory, configFiles, workloads, services, ingressPort, meshConfig, trustDomain,
        proxyStatsMatcher, scheme);
  }

  /** The directory of TLS credentials for {@code credentialName}, {@value #CREDENTIALS}. */
  public static final String CREDENTIALS = "credentials";

  public LocalMesh {
    configFiles = List.copyOf(configFiles);
    workloads = List.copyOf(workloads);
    services = List.copyOf(services);
  }

  /**
   * {@code DIR/credentials}, if the mesh has one: a subdirectory per credential, laid out as a Kubernetes TLS
   * Secret ({@code tls.crt}, {@code tls.key}, {@code ca.crt}).
   */
  public Optional<Path> credentials() {
    Path credentials = directory.toAbsolutePath().resolve(CREDENTIALS);
    return java.nio.file.Files.isDirectory(credentials) ? Optional.of(credentials) : Optional.empty();
  }

  /**
   * A Kubernetes Service an app may call by name: {@code http://<name>:<port>} for its first port, and through
   * an egress listener of its sidecar for each of its {@code tcpPorts} (ports Istio does not treat as HTTP).
   */
  public record ServiceRef(String name, String namespace, int port, List<Integer> tcpPorts) {

    private static final String DOMAIN_SUFFIX = ".svc.cluster.local";

    public ServiceRef {
      tcpPorts = List.copyOf(tcpPorts);
    }

    /** The fully qualified host name weftd knows it by. */
    public String host() {
      return name + "." + namespace + DOMAIN_SUFFIX;
    }

    /** The environment variable that carries its URL, as the sample apps read it: {@code DETAILS_URL}. */
    public String urlVariable() {
      return variablePrefix() + "_URL";
    }

    /** The environment variable that carries {@code ip:port} of the egress listener for a TCP port. */
    public String addressVariable(int tcpPort) {
      return variablePrefix() + "_" + tcpPort + "_ADDR";
    }

    /** The URL in the caller's namespace: the short name there, {@code name.namespace} elsewhere. */
    public String url(String callerNamespace) {
      String host = namespace.equals(callerNamespace) ? name : name + "." + namespace;
      return "http://" + host + ":" + port;
    }

    private String variablePrefix() {
      return name.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
    }
  }
}
