package dev.weft.cli.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code weft up DIR} runs: the directory's Istio/Kubernetes files (served by weftd), its workloads, the
 * Services apps are told about, and the port the ingress gateway listens on when a Gateway selects it.
 */
public record LocalMesh(
    Path directory,
    List<Path> configFiles,
    List<WorkloadSpec> workloads,
    List<ServiceRef> services,
    Optional<Integer> ingressPort) {

  public LocalMesh {
    configFiles = List.copyOf(configFiles);
    workloads = List.copyOf(workloads);
    services = List.copyOf(services);
  }

  /** A Kubernetes Service an app may call by name: {@code http://<name>:<port>}. */
  public record ServiceRef(String name, String namespace, int port) {

    /** The environment variable that carries its URL, as the sample apps read it: {@code DETAILS_URL}. */
    public String urlVariable() {
      return name.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_') + "_URL";
    }

    /** The URL in the caller's namespace: the short name there, {@code name.namespace} elsewhere. */
    public String url(String callerNamespace) {
      String host = namespace.equals(callerNamespace) ? name : name + "." + namespace;
      return "http://" + host + ":" + port;
    }
  }
}
