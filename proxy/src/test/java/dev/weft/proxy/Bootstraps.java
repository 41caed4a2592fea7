package dev.weft.proxy;

import dev.weft.testing.Template;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Bootstrap YAML for tests: one HTTP listener named "ingress" on an ephemeral port, and static clusters. */
public final class Bootstraps {

    private Bootstraps() {
    }

    private static final String HTTP = """
            admin:
              address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            static_resources:
              listeners:
              - name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains:
                - filters:
                  - name: envoy.filters.network.http_connection_manager
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: ingress_http
            ${hcm}
                      route_config:
                        name: local
                        virtual_hosts:
            ${vhosts}
                      http_filters:
            ${filters}
                      - name: envoy.filters.http.router
                        typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
              clusters:
            ${clusters}
            """;

    /** Cluster fields that make it talk HTTP/2 to its hosts (for {@link #staticCluster}'s {@code extra}). */
    public static final String HTTP2_UPSTREAM = """
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
            """;

    /** A bootstrap with one HTTP listener. Each argument is YAML already indented for its place. */
    public static String http(String hcmExtras, String virtualHosts, String filters, String clusters) {
        return Template.of(HTTP).render(Map.of("hcm", hcmExtras, "vhosts", virtualHosts, "filters", filters,
                "clusters", clusters));
    }

    /** One virtual host for every domain, whose routes are given. */
    public static String anyHost(String routes) {
        return "            - name: all\n              domains: [\"*\"]\n              routes:\n" + indent(routes, 14);
    }

    /** A STATIC cluster on 127.0.0.1 with the given ports; {@code extra} is more cluster fields. */
    public static String staticCluster(String name, String lbPolicy, String extra, int... ports) {
        String endpoints = Arrays.stream(ports)
                .mapToObj(p -> "        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: " + p + " } } }")
                .collect(Collectors.joining("\n"));
        return "  - name: " + name + "\n"
                + "    connect_timeout: 1s\n"
                + "    type: STATIC\n"
                + "    lb_policy: " + lbPolicy + "\n"
                + indent(extra, 4)
                + "    load_assignment:\n"
                + "      cluster_name: " + name + "\n"
                + "      endpoints:\n"
                + "      - lb_endpoints:\n"
                + endpoints + "\n";
    }

    public static String indent(String yaml, int spaces) {
        if (yaml.isBlank()) {
            return "";
        }
        String pad = " ".repeat(spaces);
        return yaml.stripIndent().lines().map(l -> pad + l).collect(Collectors.joining("\n")) + "\n";
    }
}
