package dev.weft.proxy.agent;

import dev.weft.proxy.config.PlainJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The Envoy v3 bootstrap Istio's agent writes for its proxy, shared by the pod agent ({@code weft-proxy sidecar})
 * and local mode ({@code weft up}): a node (given), admin, Istio's health ({@code /healthz/ready}) and Prometheus
 * ({@code /stats/prometheus}) listeners served from the admin, Istio's stats_config, and ADS to the control plane
 * through a static {@code xds-grpc} cluster, over TLS that trusts the mesh root and names istiod, as Istio's proxies
 * reach istiod on 15012.
 */
public final class EnvoyBootstrap {

    /** Istio's name for the ADS cluster; its dashboards count the proxy's connections to istiod by it. */
    public static final String XDS_CLUSTER = "xds-grpc";
    /** The name a proxy sends as SNI and checks the control plane's certificate against: Istio's name for istiod. */
    public static final String ISTIOD = "istiod.istio-system.svc";
    static final String AGENT_CLUSTER = "agent";
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

    /**
     * Where the proxy serves: its admin (reached by the health and Prometheus listeners, so on an address they can
     * reach), and Istio's health (15021) and Prometheus (15090) listeners.
     */
    public record Ports(String adminIp, int admin, String listenIp, int health, int prometheus) {
    }

    /**
     * Where the ADS server is, and the mesh root (Istio's {@code istio-ca-root-cert}) its certificate must chain to;
     * no root for plain text. A host name is resolved by the ADS channel (a STRICT_DNS cluster), an IP is used as is.
     */
    public record ControlPlane(String host, int port, Optional<Path> root) {
    }

    /** The Envoy stats shown besides Istio's always-shown ones: ProxyConfig's {@code proxyStatsMatcher}. */
    public record StatsInclusions(List<String> prefixes, List<String> suffixes, List<String> regexps) {
        public static final StatsInclusions NONE = new StatsInclusions(List.of(), List.of(), List.of());

        public StatsInclusions {
            prefixes = List.copyOf(prefixes);
            suffixes = List.copyOf(suffixes);
            regexps = List.copyOf(regexps);
        }
    }

    private EnvoyBootstrap() {
    }

    /** The bootstrap as plain maps and lists, for {@link #yaml} or {@link #json}. */
    public static Map<String, Object> of(Map<String, Object> node, Ports ports, ControlPlane xdsServer,
            StatsInclusions moreStats) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("node", node);
        root.put("stats_config", statsConfig(moreStats));
        root.put("admin", Map.of("address", socketAddress(ports.adminIp(), ports.admin())));
        root.put("dynamic_resources", Map.of(
                "ads_config", Map.of(
                        "api_type", "GRPC",
                        "transport_api_version", "V3",
                        "grpc_services", List.of(Map.of("envoy_grpc", Map.of("cluster_name", XDS_CLUSTER)))),
                "cds_config", Map.of("ads", Map.of(), "resource_api_version", "V3"),
                "lds_config", Map.of("ads", Map.of(), "resource_api_version", "V3")));
        root.put("static_resources", Map.of(
                "clusters", List.of(xdsCluster(xdsServer), agentCluster(ports)),
                "listeners", List.of(
                        agentListener("health", ports.listenIp(), ports.health(), "/healthz/ready", "/ready"),
                        agentListener("prometheus_stats", ports.listenIp(), ports.prometheus(), "/stats/prometheus",
                                "/stats/prometheus"))));
        return root;
    }

    /** Block-style YAML, each string that a YAML reader could take for another type quoted. */
    public static String yaml(Map<String, Object> bootstrap) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setSplitLines(false);
        // A map used twice (Map.of() is one instance) is written twice, not as an anchor and its alias.
        options.setDereferenceAliases(true);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options,
                new QuotedIfTyped()).dump(bootstrap);
    }

    /** Indented JSON, as Istio's agent writes {@code envoy-rev.json}. */
    public static String json(Map<String, Object> bootstrap) {
        return PlainJson.write(bootstrap);
    }

    /**
     * The plain scalars a YAML 1.1 reader (SnakeYAML's default: {@code on}, {@code 2026-01-01}, ...) or a YAML 1.2
     * one ({@code YamlToJson}: {@code 0o17}) would read as something other than a string: a string that looks
     * like one is written quoted.
     */
    private static final class QuotedIfTyped extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            super.addImplicitResolvers();
            addImplicitResolver(Tag.INT, Pattern.compile("0o[0-7]+"), "0");
        }
    }

    private static Map<String, Object> xdsCluster(ControlPlane server) {
        Map<String, Object> endpoint = Map.of("endpoint", Map.of("address",
                socketAddress(server.host(), server.port())));
        Map<String, Object> xds = new LinkedHashMap<>();
        xds.put("name", XDS_CLUSTER);
        xds.put("type", isIpLiteral(server.host()) ? "STATIC" : "STRICT_DNS");
        xds.put("connect_timeout", "1s");
        xds.put("typed_extension_protocol_options", Map.of(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Map.of(
                        "@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                        "explicit_http_config", Map.of("http2_protocol_options", Map.of()))));
        xds.put("load_assignment", Map.of(
                "cluster_name", XDS_CLUSTER,
                "endpoints", List.of(Map.of("lb_endpoints", List.of(endpoint)))));
        server.root().ifPresent(file -> xds.put("transport_socket", Map.of(
                "name", "envoy.transport_sockets.tls",
                "typed_config", Map.of(
                        "@type", "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                        "sni", ISTIOD,
                        "common_tls_context", Map.of("validation_context", Map.of(
                                "trusted_ca", Map.of("filename", file.toString())))))));
        return xds;
    }

    /** An IPv4 address or an IPv6 one (a host name has no colon); anything else is a name to resolve. */
    private static boolean isIpLiteral(String host) {
        return IP_LITERAL.matcher(host).matches();
    }

    /**
     * Istio's bootstrap stats_config: its tag names instead of Envoy's ({@code cluster_name},
     * {@code response_code_class}, ...), and only the Envoy stats Istio always shows, plus {@code moreStats}.
     */
    private static Map<String, Object> statsConfig(StatsInclusions moreStats) {
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
        prefixes.addAll(moreStats.prefixes());
        List<String> suffixes = new ArrayList<>(List.of("rbac.allowed", "rbac.denied", "shadow_allowed",
                "shadow_denied", "downstream_cx_active"));
        suffixes.addAll(moreStats.suffixes());
        prefixes.forEach(p -> patterns.add(Map.of("prefix", p)));
        suffixes.forEach(x -> patterns.add(Map.of("suffix", x)));
        moreStats.regexps().forEach(r -> patterns.add(Map.of("safe_regex", Map.of("regex", r))));
        return Map.of("use_all_default_tags", false, "stats_tags", tags,
                "stats_matcher", Map.of("inclusion_list", Map.of("patterns", patterns)));
    }

    private static Map<String, Object> tag(String name, String regex) {
        return Map.of("tag_name", name, "regex", regex);
    }

    /** The proxy's own admin, as a cluster the health and stats listeners forward to. */
    private static Map<String, Object> agentCluster(Ports ports) {
        Map<String, Object> endpoint = Map.of("endpoint", Map.of("address",
                socketAddress(ports.adminIp(), ports.admin())));
        return Map.of(
                "name", AGENT_CLUSTER,
                "type", "STATIC",
                "connect_timeout", "1s",
                "load_assignment", Map.of(
                        "cluster_name", AGENT_CLUSTER,
                        "endpoints", List.of(Map.of("lb_endpoints", List.of(endpoint)))));
    }

    /** Istio's 15021 and 15090: one path of the admin, published on a port of its own. */
    private static Map<String, Object> agentListener(String name, String ip, int port, String path,
            String adminPath) {
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
