package dev.weft.cli.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.weft.controlplane.WeftVersion;
import dev.weft.controlplane.ads.ProxyTokens;
import dev.weft.model.mesh.MeshConfig;
import java.nio.file.Path;
import java.util.ArrayList;
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

  public static final String XDS_CLUSTER = "xds-grpc";
  static final String AGENT_CLUSTER = "agent";
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

  /** The name a proxy sends as SNI and checks weftd's certificate against: Istio's name for istiod. */
  public static final String ISTIOD = "istiod.istio-system.svc";

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
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("node", node(node));
    root.put("stats_config", statsConfig(moreStats));
    WorkloadAddress address = node.address();
    root.put("admin", Map.of("address", socketAddress(address.ip(), address.admin())));
    root.put("dynamic_resources", Map.of(
        "ads_config", Map.of(
            "api_type", "GRPC",
            "transport_api_version", "V3",
            "grpc_services", List.of(Map.of("envoy_grpc", Map.of("cluster_name", XDS_CLUSTER)))),
        "cds_config", Map.of("ads", Map.of(), "resource_api_version", "V3"),
        "lds_config", Map.of("ads", Map.of(), "resource_api_version", "V3")));
    Map<String, Object> endpoint = Map.of("endpoint", Map.of("address", socketAddress(weftd.host(), weftd.port())));
    Map<String, Object> xds = new LinkedHashMap<>();
    xds.put("name", XDS_CLUSTER);
    xds.put("type", "STATIC");
    xds.put("connect_timeout", "1s");
    xds.put("typed_extension_protocol_options", Map.of(
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Map.of(
            "@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            "explicit_http_config", Map.of("http2_protocol_options", Map.of()))));
    xds.put("load_assignment", Map.of(
        "cluster_name", XDS_CLUSTER,
        "endpoints", List.of(Map.of("lb_endpoints", List.of(endpoint)))));
    weftd.root().ifPresent(file -> xds.put("transport_socket", Map.of(
        "name", "envoy.transport_sockets.tls",
        "typed_config", Map.of(
            "@type", "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
            "sni", ISTIOD,
            "common_tls_context", Map.of("validation_context", Map.of(
                "trusted_ca", Map.of("filename", file.toString())))))));
    root.put("static_resources", Map.of(
        "clusters", List.of(xds, agentCluster(address)),
        "listeners", List.of(
            agentListener("health", address.ip(), address.health(), "/healthz/ready", "/ready"),
            agentListener("prometheus_stats", address.ip(), address.stats(), "/stats/prometheus",
                "/stats/prometheus"))));
    try {
      return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a bootstrap of plain maps always serialises", e);
    }
  }

  /**
   * Istio's bootstrap stats_config: its tag names instead of Envoy's ({@code cluster_name}, {@code response_code_class},
   * ...), and only the Envoy stats Istio always shows, plus those {@code proxyStatsMatcher} adds.
   */
  private static Map<String, Object> statsConfig(Optional<MeshConfig.ProxyStatsMatcher> moreStats) {
    String addressLike = "(((?:[_.[:digit:]]*|[_\\[\\]aAbBcCdDeEfF[:digit:]]*))\\.)";
    List<Map<String, Object>> tags = List.of(
        tag("cluster_name", "^cluster\\.((.+?(\\..+?\\.svc\\.cluster\\.local)?)\\.)"),
        tag("tcp_prefix", "^tcp\\.((.*?)\\.)\\w+?$"),
        tag("response_code", "(response_code=\\.=(.+?);\\.;)|_rq(_(\\.d{3}))$"),
        tag("response_code_class", "_rq(_(\\dxx))$"),
        tag("http_conn_manager_listener_prefix", "^listener(?=\\.).*?\\.http\\." + addressLike),
        tag("http_conn_manager_prefix", "^http\\." + addressLike),
        tag("listener_address", "^listener\\." + addressLike));
    List<Map<String, Object>> patterns = new ArrayList<>();
    List<String> prefixes = new ArrayList<>(List.of("reporter=", "cluster_manager", "listener_manager",
        "server", "cluster." + XDS_CLUSTER, "wasm", "component"));
    List<String> suffixes = new ArrayList<>(List.of("rbac.allowed", "rbac.denied", "shadow_allowed",
        "shadow_denied", "downstream_cx_active"));
    List<String> regexps = new ArrayList<>();
    moreStats.ifPresent(m -> {
      prefixes.addAll(m.inclusionPrefixes());
      suffixes.addAll(m.inclusionSuffixes());
      regexps.addAll(m.inclusionRegexps());
    });
    prefixes.forEach(p -> patterns.add(Map.of("prefix", p)));
    suffixes.forEach(x -> patterns.add(Map.of("suffix", x)));
    regexps.forEach(r -> patterns.add(Map.of("safe_regex", Map.of("regex", r))));
    return Map.of("use_all_default_tags", false, "stats_tags", tags,
        "stats_matcher", Map.of("inclusion_list", Map.of("patterns", patterns)));
  }

  private static Map<String, Object> tag(String name, String regex) {
    return Map.of("tag_name", name, "regex", regex);
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

  /** The proxy's own admin, as a cluster the health and stats listeners forward to. */
  private static Map<String, Object> agentCluster(WorkloadAddress address) {
    Map<String, Object> endpoint = Map.of("endpoint", Map.of("address",
        socketAddress(address.ip(), address.admin())));
    return Map.of(
        "name", AGENT_CLUSTER,
        "type", "STATIC",
        "connect_timeout", "1s",
        "load_assignment", Map.of(
            "cluster_name", AGENT_CLUSTER,
            "endpoints", List.of(Map.of("lb_endpoints", List.of(endpoint)))));
  }

  /** Istio's 15021 and 15090: one path of the admin, published on a port of its own. */
  private static Map<String, Object> agentListener(String name, String ip, int port, String path, String adminPath) {
    Map<String, Object> route = Map.of(
        "match", Map.of("prefix", path),
        "route", Map.of("cluster", AGENT_CLUSTER, "prefix_rewrite", adminPath));
    Map<String, Object> manager = Map.of(
        "@type", "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
            + ".HttpConnectionManager",
        "stat_prefix", name,
        "route_config", Map.of("name", name, "virtual_hosts", List.of(Map.of(
            "name", name, "domains", List.of("*"), "routes", List.of(route)))),
        "http_filters", List.of(Map.of("name", "envoy.filters.http.router", "typed_config", Map.of(
            "@type", "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"))));
    return Map.of(
        "name", name,
        "address", socketAddress(ip, port),
        "filter_chains", List.of(Map.of("filters", List.of(Map.of(
            "name", "envoy.filters.network.http_connection_manager", "typed_config", manager)))));
  }

  private static Map<String, Object> socketAddress(String ip, int port) {
    return Map.of("socket_address", Map.of("address", ip, "port_value", port));
  }
}
