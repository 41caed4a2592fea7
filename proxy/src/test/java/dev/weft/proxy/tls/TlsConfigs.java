package dev.weft.proxy.tls;

import dev.weft.testing.tls.TestPki;
import java.nio.file.Path;

/** YAML pieces for TLS tests, in flow style so they fit on a line of a bootstrap. */
public final class TlsConfigs {

    private TlsConfigs() {
    }

    /** A DataSource holding text inline, escaped as a YAML double-quoted string. */
    public static String inline(String text) {
        return "{ inline_string: \"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\" }";
    }

    static String file(Path path) {
        return "{ filename: \"" + path + "\" }";
    }

    /** {@code tls_certificates} with the chain and key of {@code issued}, inline. */
    public static String certificate(TestPki.Issued issued) {
        return "tls_certificates: [ { certificate_chain: " + inline(issued.certificatePem()) + ", private_key: "
                + inline(issued.privateKeyPem()) + " } ]";
    }

    public static String downstream(String commonTlsContext, String extra) {
        return "{ name: envoy.transport_sockets.tls, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext, "
                + "common_tls_context: { " + commonTlsContext + " }" + (extra.isEmpty() ? "" : ", " + extra) + " } }";
    }

    public static String upstream(String commonTlsContext, String extra) {
        return "{ name: envoy.transport_sockets.tls, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext, "
                + "common_tls_context: { " + commonTlsContext + " }" + (extra.isEmpty() ? "" : ", " + extra) + " } }";
    }

    /** An HTTP connection manager sending everything to {@code cluster}. */
    static String httpTo(String cluster) {
        return "[ { name: envoy.filters.network.http_connection_manager, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager, "
                + "stat_prefix: tls, route_config: { virtual_hosts: [ { name: all, domains: [\"*\"], routes: [ { match: "
                + "{ prefix: / }, route: { cluster: " + cluster + " } } ] } ] }, http_filters: [ { name: envoy.filters.http.router, "
                + "typed_config: { \"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ] } } ]";
    }

    /** A STATIC cluster with one endpoint on 127.0.0.1; {@code extra} is more fields, flow style, or "". */
    static String cluster(String name, int port, String extra) {
        return "{ name: " + name + ", connect_timeout: 2s, " + (extra.isEmpty() ? "" : extra + ", ")
                + "load_assignment: { cluster_name: " + name + ", endpoints: [ { lb_endpoints: [ { endpoint: { address: "
                + "{ socket_address: { address: 127.0.0.1, port_value: " + port + " } } } } ] } ] } }";
    }
}
