package dev.weft.cli.local;

import dev.weft.api.WeftVersion;
import dev.weft.controlplane.ads.ProxyTokens;
import dev.weft.model.mesh.MeshConfig;
import dev.weft.proxy.agent.EnvoyBootstrap;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Envoy v3 bootstrap of a local proxy: an Istio-shaped node ({@code sidecar~ip~name.ns~ns.svc.cluster.local}
 * with LABELS, NAMESPACE, SERVICE_ACCOUNT, INSTANCE_IPS, the {@code WEFT_LOCAL_PORTS} block weftd's node
 * parser reads and the proxy's {@code WEFT_PROXY_TOKEN}), admin, Istio's health ({@code /healthz/ready}) and Prometheus ({@code /stats/prometheus})
 * listeners served from the admin, all where the {@link WorkloadAddress} says, and ADS to weftd through a static
 * {@code xds-grpc} cluster, over TLS that trusts the mesh root and names istiod, as Istio's proxies reach istiod on
 * 15012.
 */
public final class ProxyBootstrap {

  public static final String XDS_CLUSTER = EnvoyBootstrap.XDS_CLUSTER;
  private static final String DOMAIN_SUFFIX = "svc.cluster.local";

  /**
   * Everything that differs between proxies.
   *
   * @param type {@code sidecar} or {@code router} (a gateway)
   * @param name the pod-name part of the node ID
   * @param token the proxy token {@code weft up} issued for this node ({@code WEFT_PROXY_TOKEN}), or empty
   */
  public record Node(String type, String name, String namespace, String serviceAccount, Map<String, String> labels,
      WorkloadAddress address, boolean captured, String token) {
    public Node {
      labels = Map.copyOf(labels);
    }

    /**
     * The same proxy under transparent capture: without {@code WEFT_LOCAL_PORTS}, so weftd sends Istio's standard
     * sidecar config (virtualOutbound on 15001 and virtualInbound on 15006, by original destination).
     */
    public Node withCapture() {
      return new Node(type, name, namespace, serviceAccount, labels, address, true, token);
    }

    /** The same proxy carrying the token weftd admits it by. */
    public Node withToken(String issued) {
      return new Node(type, name, namespace, serviceAccount, labels, address, captured, issued);
    }

    public String ip() {
      return address.ip();
    }

    public String id() {
      return type + "~" + ip() + "~" + name + "." + namespace + "~" + namespace + "." + DOMAIN_SUFFIX;
    }
  }

  /**
   * Where a proxy finds weftd's xDS port, and the mesh root (Istio's {@code istio-ca-root-cert}) weftd's certificate
   * must chain to; no root when weftd serves plain text (no CA, or {@code --xds-plaintext}).
   */
  public record XdsServer(String host, int port, Optional<Path> root) {
    /** weftd's TLS port at {@code host} (loopback, or the bridge address from a network namespace). */
    public static XdsServer tls(String host, int port, Path root) {
      return new XdsServer(host, port, Optional.of(root));
    }

    /** weftd's plain-text port on this machine's loopback. */
    public static XdsServer plaintext(int port) {
      return new XdsServer("127.0.0.1", port, Optional.empty());
    }
  }

  private ProxyBootstrap() {}

  /** The sidecar of a workload. */
  public static Node sidecar(WorkloadSpec workload, WorkloadAddress address) {
    return new Node("sidecar", workload.name(), workload.namespace(), workload.serviceAccount(), workload.labels(),
        address, false, "");
  }

  /** Istio's ingress gateway: labels {@code istio=ingressgateway} in istio-system. */
  public static Node ingressGateway(WorkloadAddress address) {
    return new Node("router", "istio-ingressgateway", "istio-system", "istio-ingressgateway-service-account",
        MeshDirectory.INGRESS_LABELS, address, false, "");
  }

  /** A bootstrap whose ADS goes to weftd, showing the Envoy stats Istio's proxies show by default. */
  public static String yaml(Node node, XdsServer weftd) {
    return yaml(node, weftd, Optional.empty());
  }

  /** A bootstrap whose ADS goes to weftd; {@code moreStats} is the mesh config's {@code proxyStatsMatcher}. */
  public static String yaml(Node node, XdsServer weftd, Optional<MeshConfig.ProxyStatsMatcher> moreStats) {
    WorkloadAddress address = node.address();
    return EnvoyBootstrap.yaml(EnvoyBootstrap.of(node(node),
        new EnvoyBootstrap.Ports(address.ip(), address.admin(), address.ip(), address.health(), address.stats()),
        new EnvoyBootstrap.ControlPlane(weftd.host(), weftd.port(), weftd.root()),
        moreStats.map(m -> new EnvoyBootstrap.StatsInclusions(m.inclusionPrefixes(), m.inclusionSuffixes(),
            m.inclusionRegexps())).orElse(EnvoyBootstrap.StatsInclusions.NONE)));
  }

  private static Map<String, Object> node(Node node) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("NAMESPACE", node.namespace());
    metadata.put("SERVICE_ACCOUNT", node.serviceAccount());
    metadata.put("LABELS", new TreeMap<>(node.labels()));
    metadata.put("INSTANCE_IPS", node.ip());
    metadata.put("WORKLOAD_NAME", node.name());
    // The proxy's version as Istio's agent announces it: istiod's pilot_xds counts connected proxies by it.
    metadata.put("ISTIO_VERSION", WeftVersion.get());
    // Istio's default cluster ID, which its metrics' source_cluster and destination_cluster labels carry.
    metadata.put("CLUSTER_ID", "Kubernetes");
    List<Map<String, Object>> workloadPorts = node.address().ports().stream()
        .map(p -> Map.<String, Object>of("port", p.port(), "proxy", p.proxy(), "app", p.app())).toList();
    List<Map<String, Object>> egress = node.address().egress().stream()
        .map(e -> Map.<String, Object>of("host", e.service().host(), "port", e.port(), "listen", e.listen())).toList();
    Map<String, Object> localPorts = new LinkedHashMap<>();
    localPorts.put("outbound", node.address().outbound());
    localPorts.put("admin", node.address().admin());
    localPorts.put("workload", workloadPorts);
    if (!egress.isEmpty()) {
      localPorts.put("egress", egress);
    }
    if (!node.captured()) {
      metadata.put("WEFT_LOCAL_PORTS", localPorts);
    }
    if (!node.token().isEmpty()) {
      metadata.put(ProxyTokens.METADATA_KEY, node.token());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", node.id());
    out.put("cluster", node.labels().getOrDefault("app", node.name()) + "." + node.namespace());
    out.put("metadata", metadata);
    return out;
  }
}
